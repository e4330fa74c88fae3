import ArgumentParser
import Tessera

/// The `tessera` command: one subcommand per file, each a thin layer over the library targets.
@main
struct TesseraCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tessera",
        abstract: "Tessera: NumPy-style tensors with autograd and fused kernels, and the labs that time them.",
        version: BuildInfo.version,
        subcommands: [DoctorCommand.self, SelfTestCommand.self, BenchCommand.self, ReportCommand.self, SlurmCommand.self,
                      DataCommand.self, ProfileCommand.self])
}
