/// Where a tensor's data lives and where its operations run.
///
/// Every tensor is on the CPU today; the CUDA backend adds `.cuda(i)`.
public enum Device: Sendable, Hashable, CustomStringConvertible {
    /// Host memory, computed by the multicore SIMD/BLAS backend.
    case cpu

    public var description: String {
        switch self {
        case .cpu: "cpu"
        }
    }
}
