//! The `folio` command line: parse arguments, call the library, print
//! diagnostics, exit with the error's code.

use clap::{Args, CommandFactory, Parser, Subcommand};
use folio::{BuildOptions, Diagnostic, Error};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

// Rendering allocates many small strings in parallel; mimalloc spends a
// third less time on that than the system allocator (docs/PERFORMANCE.md).
// It is built without transparent huge pages (Cargo.toml's `no_thp`): the
// kernel zeroing 2 MiB at each fault in its regions cost a fifth of a large
// build's CPU time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// folio: a static site generator whose tables are data.
#[derive(Parser)]
#[command(version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// With no command, `folio` builds the site.
    #[command(flatten)]
    build: BuildArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (the default command).
    #[command(after_help = WATCH_NOTE)]
    Build(BuildArgs),
    /// Build in memory and check every internal link and #anchor; list
    /// external links without fetching them. Exit 1 on a broken link.
    Check(CheckArgs),
    /// Serve the site on a local address, rebuilding and reloading browsers
    /// as files change.
    Serve(ServeArgs),
    /// Write content/posts/<slug>.md with front matter ready to fill in.
    New(NewArgs),
    /// Copy a Jekyll site's posts, settings and static files into this
    /// folio site (never overwrites a file).
    ImportJekyll {
        /// The Jekyll site's folder (holding _posts/ and _config.yml).
        #[arg(value_name = "DIR")]
        jekyll: PathBuf,
        /// The folio site's root folder to import into.
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// Publish posts and pages at folio's URLs (/posts/<slug>/), each
        /// old Jekyll URL redirecting to its page, instead of at Jekyll's URLs.
        #[arg(long)]
        folio_urls: bool,
    },
    /// Start a new site in DIR: settings, an example post, the GitHub Pages
    /// workflow and a .gitignore. It builds and passes `folio check` at
    /// once. Never overwrites a file.
    Init {
        /// The new site's folder (made if missing).
        #[arg(value_name = "DIR", default_value = ".")]
        dir: PathBuf,
        /// Also copy the built-in theme's templates and static files into
        /// the site, to edit them.
        #[arg(long)]
        theme: bool,
        /// Print errors only.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Print a completion script for SHELL to stdout, e.g.
    /// `folio completions bash > ~/.local/share/bash-completion/completions/folio`.
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
}

/// `folio build --help`'s last words: where watching lives.
const WATCH_NOTE: &str = "To rebuild as you edit, run `folio serve`: it watches content/, \
templates/ and static/, rebuilds what changed and reloads the browser.";

#[derive(Args, Clone)]
struct ServeArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = folio::DEFAULT_PORT)]
    port: u16,
    /// Address to listen on. The server is a local tool: keep it on loopback.
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Open the site in the default browser (serving goes on without one).
    #[arg(long)]
    open: bool,
}

#[derive(Args, Clone)]
struct NewArgs {
    /// The post's title; its slug names the file.
    title: String,
    /// The site's root folder.
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
}

/// Which site, and how to read it.
#[derive(Args, Clone)]
struct SiteArgs {
    /// The site's root folder, holding content/, templates/ and static/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Base URL the site is served from, such as https://user.github.io/repo/
    /// (overrides `base_url` in content/_index.md).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Also build drafts (`draft: true` or `published: false`).
    #[arg(long)]
    drafts: bool,
    /// Also build posts dated after the build's time (SOURCE_DATE_EPOCH when
    /// set, else now), as Jekyll's --future does.
    #[arg(long)]
    future: bool,
}

#[derive(Args, Clone)]
struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Also fetch every external link and report those that fail or answer
    /// an HTTP error (by default they are only listed).
    #[arg(long)]
    fetch_external: bool,
    /// Print errors only: no warnings, no list of external links, no summary.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Args, Clone)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Output folder; a relative path is taken under --root.
    #[arg(long, value_name = "DIR", default_value = "public")]
    out: PathBuf,
    /// Print how long each stage of the build took.
    #[arg(long)]
    timings: bool,
    /// Print errors only: no warnings, no summary.
    #[arg(long, short)]
    quiet: bool,
    /// Not a build option: `folio serve` rebuilds as you edit (this flag
    /// only says so).
    #[arg(long, hide = true)]
    watch: bool,
}

impl SiteArgs {
    fn options(&self) -> BuildOptions {
        BuildOptions {
            base_url: self.base_url.clone(),
            drafts: self.drafts,
            future: self.future,
            ..BuildOptions::new(&self.root)
        }
    }
}

impl BuildArgs {
    fn options(&self) -> BuildOptions {
        BuildOptions {
            out: self.out.clone(),
            ..self.site.options()
        }
    }
}

/// Prints diagnostics to stderr: each with its source line and a caret
/// (read from the site's files as they are printed), in colour on a
/// terminal, plain when stderr is piped or `NO_COLOR` is set. Under
/// `--quiet`, warnings are left out.
struct Printer {
    root: PathBuf,
    quiet: bool,
    colour: anstream::ColorChoice,
    /// The last file read and its text: diagnostics come sorted by file,
    /// and one file can have thousands.
    last: Option<(PathBuf, Option<String>)>,
}

impl Printer {
    fn new(root: &Path, quiet: bool) -> Printer {
        Printer {
            root: root.to_path_buf(),
            quiet,
            colour: anstream::AutoStream::choice(&std::io::stderr()),
            last: None,
        }
    }

    /// Prints `diagnostics` through one buffer (one write each would cost
    /// more than the build's output).
    fn print(&mut self, diagnostics: &[Diagnostic]) {
        // anstream turns the colours into console calls where Windows needs them.
        let stderr = anstream::AutoStream::new(std::io::stderr().lock(), self.colour);
        let mut err = std::io::BufWriter::new(stderr);
        let colour = self.colour != anstream::ColorChoice::Never;
        for d in diagnostics {
            if self.quiet && !d.is_error() {
                continue;
            }
            let line = d.line.and_then(|n| self.source_line(&d.path, n));
            let _ = writeln!(err, "{}", d.render(line.as_deref(), colour));
        }
        let _ = err.flush();
    }

    /// Line `number` of the file `path` names (relative to the site's
    /// root); none for a file that is not there, such as a template of
    /// the built-in theme.
    fn source_line(&mut self, path: &Path, number: usize) -> Option<String> {
        if self.last.as_ref().is_none_or(|(last, _)| last != path) {
            let text = std::fs::read_to_string(self.root.join(path)).ok();
            self.last = Some((path.to_path_buf(), text));
        }
        let text = self.last.as_ref()?.1.as_deref()?;
        Some(text.lines().nth(number.checked_sub(1)?)?.to_string())
    }

    /// A line of the command's own report (not a diagnostic).
    fn say(&self, line: std::fmt::Arguments<'_>) {
        if !self.quiet {
            eprintln!("{line}");
        }
    }
}

fn check(args: &CheckArgs, out: &mut Printer) -> Result<(), Error> {
    let mut report = folio::check(&args.site.options())?;
    if args.fetch_external {
        let found = folio::fetch_external(&report.external, &fetch_progress(out.quiet));
        report.diagnostics.extend(found);
        report.diagnostics.sort_by_key(folio::Diagnostic::sort_key);
    }
    out.print(&report.diagnostics);
    if !report.external.is_empty() {
        let how = if args.fetch_external {
            "fetched"
        } else {
            "listed, not fetched"
        };
        out.say(format_args!("external links ({how}):"));
        for e in &report.external {
            out.say(format_args!("  {}  ({})", e.url, e.place()));
        }
    }
    let broken = report.diagnostics.iter().filter(|d| d.is_error()).count();
    out.say(format_args!(
        "checked {} pages and {} internal links: {broken} broken; {} external links",
        report.pages,
        report.links,
        report.external.len()
    ));
    if report.has_errors() {
        return Err(Error::Site(Vec::new()));
    }
    Ok(())
}

/// What `check --fetch-external` says while it waits on the network: on a
/// terminal, one line counting the answers, rewritten in place; in a log,
/// one line at the first answer, so it is never flooded.
fn fetch_progress(quiet: bool) -> impl Fn(usize, usize) + Sync {
    let terminal = std::io::stderr().is_terminal();
    move |answered, all| {
        if quiet {
            return;
        }
        if terminal {
            let end = if answered == all { "\n" } else { "" };
            eprint!("\rfetching external links: {answered}/{all}{end}");
        } else if answered == 1 {
            eprintln!("fetching {all} external links…");
        }
    }
}

/// How a command's output is printed: the site's root folder it reads
/// (for diagnostics' source lines), and whether `--quiet` was given.
fn printer_for(cli: &Cli) -> Printer {
    let (root, quiet) = match &cli.command {
        Some(Command::Build(args)) => (&args.site.root, args.quiet),
        Some(Command::Check(args)) => (&args.site.root, args.quiet),
        Some(Command::Serve(args)) => (&args.site.root, false),
        Some(Command::New(args)) => (&args.root, false),
        // Import's diagnostics name files as `DIR/…`, from the current folder.
        Some(Command::ImportJekyll { .. }) => (&PathBuf::new(), false),
        Some(Command::Init { dir, quiet, .. }) => (dir, *quiet),
        Some(Command::Completions { .. }) => (&PathBuf::new(), false),
        None => (&cli.build.site.root, cli.build.quiet),
    };
    Printer::new(root, quiet)
}

fn run(cli: Cli, out: &mut Printer) -> Result<(), Error> {
    let args = match cli.command {
        Some(Command::Build(args)) => args,
        Some(Command::Check(args)) => return check(&args, out),
        Some(Command::Serve(args)) => {
            let opts = folio::ServeOptions {
                build: args.site.options(),
                bind: args.bind,
                port: args.port,
                open: args.open,
            };
            return folio::serve(opts, |line| eprintln!("{line}"));
        }
        Some(Command::Init { dir, theme, .. }) => return init(&dir, theme, out),
        Some(Command::Completions { shell }) => {
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "folio", &mut std::io::stdout());
            return Ok(());
        }
        Some(Command::New(args)) => {
            let rel = folio::new_post(&args.root, &args.title, &folio::today())?;
            #[allow(clippy::print_stdout)]
            {
                println!("{}", args.root.join(rel).display());
            }
            return Ok(());
        }
        Some(Command::ImportJekyll {
            jekyll,
            root,
            folio_urls,
        }) => return import(&jekyll, &root, folio::ImportOptions { folio_urls }, out),
        None => cli.build,
    };
    if args.watch {
        return Err(Error::Usage(format!(
            "folio build does not watch. {WATCH_NOTE} (serve keeps the site in \
             memory; run `folio build` to write public/)"
        )));
    }
    let started = Instant::now();
    let opts = args.options();
    let report = folio::build(&opts)?;
    out.print(&report.warnings);
    if args.timings {
        for (stage, took) in &report.timings {
            eprintln!("  {stage:<26} {:>8.1} ms", took.as_secs_f64() * 1000.0);
        }
    }
    out.say(format_args!(
        "built {} pages ({} files) into {} in {} ms{}",
        report.pages,
        report.files,
        opts.out_dir().display(),
        started.elapsed().as_millis(),
        match report.warnings.len() {
            0 => String::new(),
            1 => ", 1 warning".to_string(),
            n => format!(", {n} warnings"),
        }
    ));
    Ok(())
}

fn init(dir: &Path, theme: bool, out: &Printer) -> Result<(), Error> {
    let written = folio::init_site(dir, &folio::today(), theme)?;
    out.say(format_args!(
        "wrote a new site into {} ({} files):",
        dir.display(),
        written.len()
    ));
    let theme_file = |f: &&PathBuf| f.starts_with("templates") || f.starts_with("static");
    for file in written.iter().filter(|f| !theme_file(f)) {
        out.say(format_args!("  {}", file.display()));
    }
    if theme {
        out.say(format_args!("  templates/ and static/: the built-in theme"));
    }
    let cd = if dir == Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", dir.display())
    };
    out.say(format_args!(
        "next: {cd}folio serve   (then `folio new \"Title\"` for a post; push to GitHub to publish)"
    ));
    Ok(())
}

/// `import-jekyll`: its notes go through the printer as build's do; their
/// paths name the Jekyll site's files as given on the command line.
fn import(
    jekyll: &std::path::Path,
    root: &std::path::Path,
    options: folio::ImportOptions,
    out: &mut Printer,
) -> Result<(), Error> {
    let imported = folio::import_jekyll(jekyll, root, options)?;
    out.print(&imported.skipped);
    out.say(format_args!(
        "imported {} files from {} into {}: {} pages keep their Jekyll URL ({} of them as a redirect), \
         {} left out (listed above); every file and URL is in {}",
        imported.files,
        jekyll.display(),
        root.display(),
        imported.urls,
        imported.redirects,
        imported.left_out,
        imported.report.display()
    ));
    Ok(())
}

/// Starts the threads that load and render pages in parallel, one per
/// core (`RAYON_NUM_THREADS` sets how many). A system that refuses them (a
/// memory cap, a limit on threads) gets an error saying so, instead of a
/// panic at the first parallel step.
fn start_threads() -> Result<(), String> {
    rayon::ThreadPoolBuilder::new()
        .build_global()
        .map_err(|e| {
            format!(
                "error: cannot start folio's threads: {e}\n  = help: set RAYON_NUM_THREADS to a smaller number (1 needs the least)"
            )
        })
}

fn main() -> ExitCode {
    if let Err(message) = start_threads() {
        eprintln!("{message}");
        return ExitCode::FAILURE;
    }
    let cli = Cli::parse();
    let mut out = printer_for(&cli);
    match run(cli, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            match &err {
                Error::Site(diags) => out.print(diags),
                other => eprintln!("{other}"),
            }
            if let Error::Site(diags) = &err
                && !diags.is_empty()
            {
                let errors = diags.iter().filter(|d| d.is_error()).count();
                eprintln!(
                    "failed: {errors} error{}",
                    if errors == 1 { "" } else { "s" }
                );
            }
            ExitCode::from(u8::try_from(err.code()).unwrap_or(1))
        }
    }
}
