//! The `folio` command line: parse arguments, call the library, print
//! diagnostics, exit with the error's code.

use clap::{Args, Parser, Subcommand};
use folio::{BuildOptions, Error};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

// Rendering allocates many small strings in parallel; mimalloc spends a
// third less time on that than the system allocator (docs/PERFORMANCE.md).
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
    },
}

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

/// Prints diagnostics to stderr through one buffer (a site can have
/// thousands; one write each would cost more than the build's output).
fn print_all(diagnostics: &[folio::Diagnostic]) {
    use std::io::Write;
    let mut err = std::io::BufWriter::new(std::io::stderr().lock());
    for d in diagnostics {
        let _ = writeln!(err, "{d}");
    }
    let _ = err.flush();
}

fn check(args: &CheckArgs) -> Result<(), Error> {
    let mut report = folio::check(&args.site.options())?;
    if args.fetch_external {
        report
            .diagnostics
            .extend(folio::fetch_external(&report.external));
        report.diagnostics.sort_by_key(folio::Diagnostic::sort_key);
    }
    print_all(&report.diagnostics);
    if !report.external.is_empty() {
        let how = if args.fetch_external {
            "fetched"
        } else {
            "listed, not fetched"
        };
        eprintln!("external links ({how}):");
        for e in &report.external {
            eprintln!("  {}  ({})", e.url, e.place());
        }
    }
    let broken = report.diagnostics.iter().filter(|d| d.is_error()).count();
    eprintln!(
        "checked {} pages and {} internal links: {broken} broken; {} external links",
        report.pages,
        report.links,
        report.external.len()
    );
    if report.has_errors() {
        return Err(Error::Site(Vec::new()));
    }
    Ok(())
}

fn run(cli: Cli) -> Result<(), Error> {
    let args = match cli.command {
        Some(Command::Build(args)) => args,
        Some(Command::Check(args)) => return check(&args),
        Some(Command::Serve(args)) => {
            let opts = folio::ServeOptions {
                build: args.site.options(),
                bind: args.bind,
                port: args.port,
            };
            return folio::serve(opts, |line| eprintln!("{line}"));
        }
        Some(Command::New(args)) => {
            let rel = folio::new_post(&args.root, &args.title, &folio::today())?;
            #[allow(clippy::print_stdout)]
            {
                println!("{}", args.root.join(rel).display());
            }
            return Ok(());
        }
        Some(Command::ImportJekyll { jekyll, root }) => return import(&jekyll, &root),
        None => cli.build,
    };
    let started = Instant::now();
    let opts = args.options();
    let report = folio::build(&opts)?;
    print_all(&report.warnings);
    if args.timings {
        for (stage, took) in &report.timings {
            eprintln!("  {stage:<26} {:>8.1} ms", took.as_secs_f64() * 1000.0);
        }
    }
    eprintln!(
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
    );
    Ok(())
}

fn import(jekyll: &std::path::Path, root: &std::path::Path) -> Result<(), Error> {
    let imported = folio::import_jekyll(jekyll, root)?;
    for skipped in &imported.skipped {
        eprintln!("{skipped}");
    }
    eprintln!(
        "imported {} files from {} into {}",
        imported.files,
        jekyll.display(),
        root.display()
    );
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let text = err.to_string();
            if !text.is_empty() {
                eprintln!("{text}");
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
