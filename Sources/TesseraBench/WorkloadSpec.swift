import Tessera

/// The benchmark workloads, taken from the seed notebooks.
public enum Workload: String, CaseIterable, Sendable {
    /// Seed 000: Euclidean distance of N cells × D features to one reference profile.
    case distance
    /// Seed 004: elementwise product of two n×n matrices.
    case multiply
    /// Seed 003: n×n matrix product.
    case matmul
    /// The memory floor: a multithreaded read (sum) and copy of the distance input's bytes.
    case bandwidth
    /// Host↔device copies of n float32 values, pageable and pinned; needs a CUDA device.
    case transfer
}

/// Which GEMM the matmul workload times.
public enum GEMMChoice: String, Sendable {
    /// `Tensor.matmul` as users get it (BLAS when loaded), plus the built-in GEMM when BLAS is loaded.
    case both
    /// Only `Tensor.matmul`.
    case `default`
    /// Only the built-in Swift GEMM.
    case builtin
}

/// One workload with its sizes.
public struct WorkloadSpec: Sendable {
    public var workload: Workload
    /// Rows (cells) for distance and bandwidth; the matrix side for multiply and matmul.
    public var n: Int
    /// Features per row for distance and bandwidth.
    public var d: Int
    public var gemm: GEMMChoice

    public init(_ workload: Workload, n: Int, d: Int = 0, gemm: GEMMChoice = .both) {
        (self.workload, self.n, self.d, self.gemm) = (workload, n, d, gemm)
    }

    public var params: [String: Int] {
        switch workload {
        case .distance, .bandwidth: ["n": n, "d": d]
        case .multiply, .matmul, .transfer: ["n": n]
        }
    }

    /// The elements of the main input, or nil when that overflows `Int`.
    var elements: Int? {
        let (product, overflow) = switch workload {
        case .distance, .bandwidth: n.multipliedReportingOverflow(by: d)
        case .multiply, .matmul: n.multipliedReportingOverflow(by: n)
        case .transfer: (n, false)
        }
        return overflow ? nil : product
    }

    /// Bytes Tessera holds at once for this workload (inputs and outputs), or nil on overflow.
    public var tesseraBytes: Int? { elements.map { bytes(forInputsOf: $0, tessera: true) } }

    /// Bytes the NumPy peer holds at its peak, or nil on overflow.
    public var peerBytes: Int? { elements.map { bytes(forInputsOf: $0, tessera: false) } }

    private func bytes(forInputsOf e: Int, tessera: Bool) -> Int {
        let f = 4.0, count = Double(e)
        let estimate: Double = switch workload {
        case .distance: tessera ? count * f : count * f * 3  // the input / the input and two temporaries
        case .bandwidth: count * f * 2  // input and copy
        case .multiply: count * f * 3  // a, b, c
        case .matmul: count * f * 4  // a, b, c and the built-in GEMM's product
        case .transfer: count * f * 2  // pageable and pinned host buffers
        }
        return estimate >= Double(Int.max) ? Int.max : Int(estimate)
    }
}
