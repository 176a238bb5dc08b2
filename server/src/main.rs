//! `server`: runs Trackrecord.

use std::process::ExitCode;

use server::{Application, Config, init_tracing, shutdown_signal};

#[tokio::main]
async fn main() -> ExitCode {
    init_tracing();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("trackrecord: {err}");
            return ExitCode::from(2);
        }
    };
    let app = match Application::build(&config).await {
        Ok(app) => app,
        Err(err) => {
            tracing::error!(%err, "could not start");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(addr = %config.addr, port = app.port(), "Trackrecord is listening on http://{}", config.addr);
    match app.run_until(shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(%err, "server stopped with an error");
            ExitCode::FAILURE
        }
    }
}
