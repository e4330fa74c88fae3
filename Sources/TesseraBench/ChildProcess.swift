import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Runs a command to completion with swift-subprocess and collects what it wrote: the peers' Python
/// scripts and SLURM's tools.
package enum ChildProcess {
    package struct Failure: Error {
        package let message: String
    }

    /// How a child ended and what it wrote.
    package struct Output: Sendable {
        /// The exit status (0 when killed by a signal).
        package var status: Int32
        /// The signal that killed it, if one did.
        package var signal: Int32?
        package var stdout: [UInt8]
        package var stderr: [UInt8]
    }

    /// The most either stream may hold (a peer's JSON result, a SLURM listing).
    static let outputLimit = 256 << 20

    /// Runs `arguments[0]` (looked up on `PATH` unless it has a slash) with the rest as its arguments,
    /// in this process's environment; stdout and stderr are read together, so neither pipe can fill
    /// and stall the child.
    package static func run(_ arguments: [String]) async -> Result<Output, Failure> {
        let executable: Executable = arguments[0].contains("/") ? .path(FilePath(arguments[0])) : .name(arguments[0])
        do {
            let result = try await Subprocess.run(executable, arguments: Arguments(Array(arguments.dropFirst())),
                                                  output: .bytes(limit: outputLimit), error: .bytes(limit: outputLimit))
            let (status, signal): (Int32, Int32?) = switch result.terminationStatus {
            case .exited(let code): (code, nil)
            case .signaled(let code): (0, code)
            }
            return .success(Output(status: status, signal: signal, stdout: result.standardOutput,
                                   stderr: result.standardError))
        } catch let error as SubprocessError where error.code == .executableNotFound {
            return .failure(Failure(message: "cannot run \(arguments[0]): not found (use --python or TESSERA_PYTHON)"))
        } catch {
            return .failure(Failure(message: "cannot run \(arguments[0]): \(error)"))
        }
    }
}
