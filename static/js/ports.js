// The ports table, enhanced: protocol filter, "implicit TLS only", search,
// sortable columns, copy-link. The state lives in the query string
// (?protocol=IMAP&tls=1&q=ssl&sort=-0), so a view can be shared.
// Without this script the full table is shown and the controls are not.
(() => {
  const box = document.querySelector('[data-ports]');
  if (!box) return;
  const body = box.querySelector('tbody');
  const rows = [...body.rows];
  const heads = [...box.querySelectorAll('thead th')];
  const protos = [...box.querySelectorAll('button[data-proto]')];
  const tls = box.querySelector('input[data-tls]');
  const q = box.querySelector('[data-q]');
  const status = box.querySelector('[data-status]');
  // What search looks through: the text shown, plus the seed's own words
  // ("SSL", "None") kept in badge titles.
  const text = new Map(rows.map((r) => [r, (r.textContent + ' ' +
    [...r.querySelectorAll('[title]')].map((e) => e.title).join(' ')).toLowerCase()]));
  let s = {};

  const read = () => {
    const p = new URLSearchParams(location.search);
    const sort = p.get('sort') || '';
    s = {
      proto: p.get('protocol') || '',
      tls: p.get('tls') === '1',
      q: p.get('q') || '',
      col: heads[Math.abs(sort)] && sort !== '' ? Math.abs(sort) : -1,
      desc: sort.startsWith('-'),
    };
  };

  const write = () => {
    const p = new URLSearchParams();
    if (s.proto) p.set('protocol', s.proto);
    if (s.tls) p.set('tls', '1');
    if (s.q) p.set('q', s.q);
    if (s.col >= 0) p.set('sort', (s.desc ? '-' : '') + s.col);
    const qs = p.toString();
    history.replaceState(null, '', location.pathname + (qs ? '?' + qs : '') + location.hash);
  };

  const cell = (r) => r.cells[s.col].textContent.trim();

  const show = () => {
    const terms = s.q.toLowerCase().split(/\s+/).filter(Boolean);
    let n = 0;
    for (const r of rows) {
      const ok = (!s.proto || r.dataset.proto === s.proto) &&
        (!s.tls || r.dataset.tls === '1') &&
        terms.every((t) => text.get(r).includes(t));
      r.hidden = !ok;
      n += ok;
    }
    const order = s.col < 0 ? rows : [...rows].sort((a, b) =>
      cell(a).localeCompare(cell(b), 'en', { numeric: true }) * (s.desc ? -1 : 1));
    body.append(...order);
    heads.forEach((th, i) => {
      if (i === s.col) th.setAttribute('aria-sort', s.desc ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    });
    protos.forEach((b) => b.setAttribute('aria-pressed', b.dataset.proto === s.proto));
    tls.checked = s.tls;
    status.textContent = n === rows.length ? `All ${n} ports`
      : n ? `${n} of ${rows.length} ports` : 'No port matches';
  };

  const change = (patch) => {
    Object.assign(s, patch);
    show();
    write();
  };

  // A deep link to a row that the filters hide clears the filters.
  const reveal = () => {
    const row = location.hash && document.getElementById(location.hash.slice(1));
    if (!row || !body.contains(row)) return;
    if (!row.hidden) return; // the browser scrolls to it
    q.value = '';
    change({ proto: '', tls: false, q: '' });
    row.scrollIntoView({ block: 'center' });
  };

  protos.forEach((b) => b.addEventListener('click', () =>
    change({ proto: b.dataset.proto === s.proto ? '' : b.dataset.proto })));
  tls.addEventListener('change', () => change({ tls: tls.checked }));
  q.addEventListener('input', () => change({ q: q.value.trim() }));
  heads.forEach((th, i) => th.querySelector('button').addEventListener('click', () =>
    change({ col: i, desc: s.col === i && !s.desc })));
  box.addEventListener('click', (e) => {
    const a = e.target.closest('a.copy');
    if (!a || !navigator.clipboard) return;
    navigator.clipboard.writeText(location.origin + location.pathname + a.hash).then(
      () => { status.textContent = 'Link copied'; }, () => {});
  });
  addEventListener('hashchange', reveal);

  read();
  q.value = s.q;
  show();
  reveal();
})();
