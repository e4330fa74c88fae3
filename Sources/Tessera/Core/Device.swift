/// Where a tensor's data lives and where its operations run.
///
/// Every operation runs on the device of its inputs; inputs on two devices are a programmer error
/// (move one with ``Tensor/to(_:)``). Which devices this process can use depends on the backends it
/// has: the CPU always, CUDA devices when a CUDA backend is registered and finds a GPU.
///
/// ```swift
/// let x = Tensor.randn([1000, 32], seed: 0)          // on the CPU
/// if Device.cuda(0).isAvailable {
///     let y = (x.cuda() * 2).cpu()                    // computed on the GPU, read back
/// }
/// ```
public enum Device: Sendable, Hashable, CustomStringConvertible {
    /// Host memory, computed by the multicore SIMD/BLAS backend.
    case cpu
    /// The NVIDIA GPU with this index (`cuda:0`, `cuda:1`, …).
    case cuda(Int)

    /// `cpu` or `cuda:<index>`, as PyTorch writes devices.
    public var description: String {
        switch self {
        case .cpu: "cpu"
        case .cuda(let index): "cuda:\(index)"
        }
    }

    /// The device named by `text` (`cpu`, `cuda`, `cuda:1`), or nil when it names none.
    ///
    /// ```swift
    /// Device(parsing: "cuda:1")   // .cuda(1)
    /// ```
    public init?(parsing text: String) {
        switch text {
        case "cpu": self = .cpu
        case "cuda": self = .cuda(0)
        default:
            guard text.hasPrefix("cuda:"), let index = Int(text.dropFirst(5)), index >= 0 else { return nil }
            self = .cuda(index)
        }
    }

    /// Whether this process can compute on the device.
    public var isAvailable: Bool { (try? Backends.backend(for: self)) != nil }

    /// Throws when the device cannot be used, saying what is missing and what was tried.
    ///
    /// - Throws: ``TesseraError`` of kind `.library` naming the device and what was searched.
    public func checkAvailable() throws(TesseraError) {
        _ = try Backends.backend(for: self)
    }

    /// The devices this process can compute on, the CPU first.
    public static var available: [Device] { Backends.availableDevices }
}
