//! `sau`: the help desk's one binary.

mod cli;
mod config;
mod mail_cli;
mod mail_config;
mod serve;

use clap::Parser;

/// mimalloc returns freed memory to the system; glibc's allocator keeps the 19 MiB
/// each argon2 password hash borrows, once per thread that ever hashed.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("sau: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli::run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sau: {}", cli::describe(&e));
            match e.downcast_ref::<mail_cli::ExitStatus>() {
                Some(status) => std::process::ExitCode::from(status.code),
                None => std::process::ExitCode::FAILURE,
            }
        }
    }
}
