//! `clientele`: the native command over store files and purchase CSVs.

mod analytics;
mod csv_out;
mod replay;

use std::process::ExitCode;

const USAGE: &str = "usage:
  clientele replay STORE.json --as-of YYYY-MM-DD [--scheme SCHEME.json] [--ledger]
  clientele fit --purchases FILE.csv|STORE.json --as-of YYYY-MM-DD [--period day|week]
  clientele analyze --purchases FILE.csv|STORE.json --as-of YYYY-MM-DD [--period day|week] [--horizon N]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = args.first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let rest = &args[1..];
    let result = match cmd.as_str() {
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        "replay" => replay::run(rest),
        "fit" => analytics::run_fit(rest),
        "analyze" => analytics::run_analyze(rest),
        other => Err(format!("unknown command '{other}'\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("clientele: {e}");
            ExitCode::from(2)
        }
    }
}
