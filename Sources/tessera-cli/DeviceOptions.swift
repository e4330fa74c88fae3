import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Tessera
import TesseraBench

/// `--device`, as every command that computes takes it.
struct DeviceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Where Tessera computes: auto (a CUDA device when one can be used, else the CPU), cpu, cuda or cuda:N.",
                               valueName: "device"))
    var device: String?

    func validate() throws {
        _ = try DeviceSelection.resolve(device) { _ in }
    }

    /// The chosen device; with `auto` and no GPU, says on stderr that the CPU runs it.
    func resolve() throws -> Device {
        try DeviceSelection.resolve(device) { line in
            var text = line + "\n"
            text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        }
    }
}
