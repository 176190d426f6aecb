//! `clientele`: the native command over store files and purchase CSVs.

mod analytics;
mod csv_out;
mod replay;

use chrono::NaiveDate;
use clap::error::ErrorKind;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use clientele_engine::analytics::Period;
use clientele_engine::points::explain::Lang;
use std::process::ExitCode;

/// Clientele's native command over store files (the console's backup) and
/// purchase CSVs: points and tiers by replay, lifetime-value models and
/// segments.
#[derive(Parser)]
#[command(name = "clientele", version, arg_required_else_help = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Replay a store's points and tiers as of a day: one CSV row per
    /// member (tier, qualifying value, balance, points expiring in 30
    /// days), or the ledger with an explanation per line.
    Replay(ReplayArgs),
    /// Fit the lifetime-value models (BG/NBD and Gamma-Gamma) and print
    /// their parameters as JSON.
    Fit(ModelArgs),
    /// Segment every member and predict purchases and value: one CSV row
    /// per member.
    Analyze(AnalyzeArgs),
}

#[derive(clap::Args)]
struct ReplayArgs {
    /// The store or backup file (JSON, as the console saves it).
    #[arg(value_name = "STORE.json")]
    store: String,
    /// Replay as of this day (YYYY-MM-DD). Not needed with --check.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day, required_unless_present = "check")]
    as_of: Option<NaiveDate>,
    /// Replay the whole history under this scheme (JSON) instead of the
    /// store's own scheme history.
    #[arg(long, value_name = "SCHEME.json")]
    scheme: Option<String>,
    /// Print the ledger (every points movement and tier change, explained)
    /// instead of one row per member.
    #[arg(long)]
    ledger: bool,
    /// Language of the ledger's explanations and tier names.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    lang: LangArg,
    /// Only check the file's values (amounts and points within limits, real
    /// days, returns within their receipts, known members and receipts) and
    /// list every refused record; the exit code is 1 when any is refused.
    #[arg(long, conflicts_with_all = ["as_of", "scheme", "ledger"])]
    check: bool,
}

#[derive(clap::Args)]
struct ModelArgs {
    /// A purchases CSV (columns member_id, date, amount, in any order) or a
    /// store file (.json).
    #[arg(value_name = "FILE", required_unless_present = "purchases")]
    file: Option<String>,
    /// The same file, named by option.
    #[arg(
        long,
        visible_alias = "store",
        value_name = "FILE",
        conflicts_with = "file"
    )]
    purchases: Option<String>,
    /// Fit on the history up to this day (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    as_of: NaiveDate,
    /// The models' time unit.
    #[arg(long, value_enum, default_value_t = PeriodArg::Week)]
    period: PeriodArg,
}

#[derive(clap::Args)]
struct AnalyzeArgs {
    #[command(flatten)]
    model: ModelArgs,
    /// Predict over this many periods (default: the engine's horizon).
    #[arg(long, value_name = "N")]
    horizon: Option<u32>,
}

#[derive(Copy, Clone, ValueEnum)]
enum LangArg {
    En,
    Zh,
}

#[derive(Copy, Clone, ValueEnum)]
enum PeriodArg {
    Day,
    Week,
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| format!("{s} is not a YYYY-MM-DD day: {e}"))
}

impl ModelArgs {
    fn into_args(self, horizon: Option<u32>) -> analytics::Args {
        analytics::Args {
            // clap makes sure one of the two is given.
            input: self.file.or(self.purchases).unwrap_or_default(),
            as_of: self.as_of,
            period: match self.period {
                PeriodArg::Day => Period::Day,
                PeriodArg::Week => Period::Week,
            },
            horizon,
        }
    }
}

/// Parses the arguments; every error ends with the usage of the command
/// it concerns (clap leaves it out of errors about a value).
fn parse() -> Cli {
    let e = match Cli::try_parse() {
        Ok(cli) => return cli,
        Err(e) => e,
    };
    let shows_usage = matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            | ErrorKind::MissingRequiredArgument
            | ErrorKind::UnknownArgument
            | ErrorKind::InvalidSubcommand
            | ErrorKind::ArgumentConflict
    );
    if shows_usage {
        e.exit();
    }
    let _ = e.print();
    let mut cmd = Cli::command();
    cmd.build();
    let name = std::env::args().nth(1).unwrap_or_default();
    let usage = match cmd.find_subcommand_mut(&name) {
        Some(sub) => sub.render_usage(),
        None => cmd.render_usage(),
    };
    eprintln!("\n{usage}");
    std::process::exit(2);
}

fn main() -> ExitCode {
    let cli = parse();
    let result = match cli.command {
        Command::Replay(a) if a.check => match replay::check(&a.store) {
            Ok(true) => Ok(()),
            Ok(false) => return ExitCode::from(1),
            Err(e) => Err(e),
        },
        Command::Replay(a) => replay::run(&replay::Args {
            store: a.store,
            // clap requires --as-of without --check.
            as_of: a.as_of.unwrap_or_default(),
            scheme: a.scheme,
            ledger: a.ledger,
            lang: match a.lang {
                LangArg::En => Lang::En,
                LangArg::Zh => Lang::Zh,
            },
        }),
        Command::Fit(a) => analytics::run_fit(&a.into_args(None)),
        Command::Analyze(a) => analytics::run_analyze(&a.model.into_args(a.horizon)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("clientele: {e}");
            ExitCode::from(2)
        }
    }
}
