import ArgumentParser

/// The `tessera` command: one subcommand per file, each a thin layer over the library targets.
@main
struct TesseraCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tessera",
        abstract: "Tessera: NumPy-style tensors with autograd, fused CPU kernels and (soon) CUDA.",
        version: "0.1.0-dev",
        subcommands: [DoctorCommand.self, SelfTestCommand.self, BenchCommand.self, ReportCommand.self, SlurmCommand.self,
                      DataCommand.self, ProfileCommand.self])
}
