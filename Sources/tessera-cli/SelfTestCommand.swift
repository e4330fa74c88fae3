import ArgumentParser
import FoundationEssentials
import Tessera
import TesseraSelfTest

/// `tessera selftest`: every op's forward and gradient checks on each device at hand, against float64.
struct SelfTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selftest",
        abstract: "Check every op's forward pass and gradient on each available device against float64.",
        discussion: """
            Runs the op table the test suite runs — each op in every dtype it supports, against float64 \
            references, and its gradients against central finite differences — on every device this \
            process can use (or the one --device names), and on a GPU also checks that random draws give \
            the CPU's numbers. Exits 1 when a check fails. The way to test a GPU machine that has no \
            Swift toolchain.
            """)

    @Option(help: ArgumentHelp("Check only this device (cpu, cuda, cuda:N); default: every device at hand.", valueName: "device"))
    var device: String?

    @Option(help: ArgumentHelp("Only ops whose name contains this text.", valueName: "text"))
    var filter: String?

    @Flag(help: "Skip the gradient checks.")
    var noGradients = false

    @Flag(help: "List every check, not only the failures.")
    var verbose = false

    @OptionGroup var json: JSONOption

    func validate() throws {
        if let device, Device(parsing: device) == nil { throw ValidationError("--device \(device): unknown device (cpu, cuda, cuda:N)") }
        try json.validate()
    }

    func run() throws {
        json.reserveStandardOutput()
        let devices: [Device]
        if let device {
            let chosen = Device(parsing: device)!
            do { try chosen.checkAvailable() } catch { throw ValidationErrorExit(message: "--device \(device): \(error.message)") }
            devices = [chosen]
        } else {
            devices = Device.available
        }
        var all: [SelfTest.Result] = []
        for device in devices {
            let start = monotonicSeconds()
            let results = SelfTest.run(on: device, filter: filter, gradients: !noGradients)
            let failed = results.filter { !$0.passed }
            for result in results where verbose || !result.passed {
                print("\(result.passed ? "ok  " : "FAIL") \(device) \(result.check) \(result.op)")
                for failure in result.failures { print("     \(failure)") }
            }
            let seconds = (monotonicSeconds() - start) * 10
            print("\(device): \(results.count - failed.count) passed, \(failed.count) failed (\(seconds.rounded() / 10) s)")
            all += results
        }
        try json.write(all)
        if all.contains(where: { !$0.passed }) {
            throw ValidationErrorExit(message: "\(all.filter { !$0.passed }.count) checks failed")
        }
    }
}
