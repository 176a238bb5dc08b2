//! `server`: runs Trackrecord. `server create-admin EMAIL NAME` creates the first administrator.

use std::process::ExitCode;

use server::{Application, Config, demo, init_tracing, shutdown_signal};

const USAGE: &str = "usage: server                      run the web server\n       server create-admin EMAIL NAME   create an administrator and print a one-time set-password link";

#[tokio::main]
async fn main() -> ExitCode {
    init_tracing();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("trackrecord: {err}");
            return ExitCode::from(2);
        }
    };
    match args.first().map(String::as_str) {
        None | Some("serve") => serve(config).await,
        Some("create-admin") if args.len() == 3 => create_admin(config, &args[1], &args[2]).await,
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

async fn serve(mut config: Config) -> ExitCode {
    let demo_wanted = config.demo;
    config.demo = false;
    let app = match Application::build(&config).await {
        Ok(app) => app,
        Err(err) => {
            tracing::error!(%err, "could not start");
            return ExitCode::FAILURE;
        }
    };
    if demo_wanted {
        match demo::seed_if_empty(app.state()).await {
            Ok(true) => tracing::info!("demo data loaded"),
            Ok(false) => tracing::info!("database not empty: demo data not loaded"),
            Err(err) => tracing::error!(%err, "demo data could not be loaded"),
        }
        println!(
            "\nDemo sign-ins (password for all: {}):",
            demo::DEMO_PASSWORD
        );
        for (role, email) in demo::DEMO_SIGN_INS {
            println!("  {role:<22} {email}");
        }
        println!();
    }
    println!(
        "Trackrecord is running at http://{} (Ctrl-C stops it)",
        config.addr
    );
    match app.run_until(shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(%err, "server stopped with an error");
            ExitCode::FAILURE
        }
    }
}

async fn create_admin(config: Config, email: &str, name: &str) -> ExitCode {
    let state = match server::open_state(&config).await {
        Ok(state) => state,
        Err(err) => {
            eprintln!("trackrecord: {err}");
            return ExitCode::FAILURE;
        }
    };
    match server::create_admin(&state, email, name).await {
        Ok(link) => {
            println!(
                "Administrator {email} created. Send them this one-time link to set a password"
            );
            println!(
                "(it works once, until {}):",
                link.expires_at.format("%Y-%m-%d %H:%M UTC")
            );
            println!("  http://{}{}", config.addr, link.path);
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("trackrecord: {err} {err:?}");
            ExitCode::FAILURE
        }
    }
}
