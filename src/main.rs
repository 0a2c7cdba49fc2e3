//! The `folio` command line: parse arguments, call the library, print
//! diagnostics, exit with the error's code.

use clap::{Args, Parser, Subcommand};
use folio::{BuildOptions, Error};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

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
struct BuildArgs {
    /// The site's root folder, holding content/, templates/ and static/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Output folder; a relative path is taken under --root.
    #[arg(long, value_name = "DIR", default_value = "public")]
    out: PathBuf,
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

impl BuildArgs {
    fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            out: self.out.clone(),
            base_url: self.base_url.clone(),
            drafts: self.drafts,
            future: self.future,
        }
    }
}

fn run(cli: Cli) -> Result<(), Error> {
    let args = match cli.command {
        Some(Command::Build(args)) => args,
        Some(Command::ImportJekyll { jekyll, root }) => return import(&jekyll, &root),
        None => cli.build,
    };
    let started = Instant::now();
    let opts = args.options();
    let report = folio::build(&opts)?;
    for warning in &report.warnings {
        eprintln!("{warning}");
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
    let plan = folio::import::plan(jekyll, root)?;
    folio::import::write(&plan, root)?;
    for skipped in &plan.skipped {
        eprintln!("{skipped}");
    }
    eprintln!(
        "imported {} files from {} into {}",
        plan.files.len(),
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
            eprintln!("{err}");
            if let Error::Site(diags) = &err {
                let errors = diags.iter().filter(|d| d.is_error()).count();
                eprintln!(
                    "build failed: {errors} error{}",
                    if errors == 1 { "" } else { "s" }
                );
            }
            ExitCode::from(u8::try_from(err.code()).unwrap_or(1))
        }
    }
}
