import Tessera

/// Where the reference profile that cells are compared with comes from.
///
/// ```swift
/// let r = ReferenceProfile.median.profile(of: cells)   // [channels]
/// let d = DistanceMetric.euclidean.distances(cells, to: r)
/// ```
public enum ReferenceProfile: Sendable {
    /// The mean of every row (channel means).
    case mean
    /// The median of every row, per channel (NumPy's `median(axis=0)`).
    case median
    /// One row of the matrix, such as a named sample.
    case row(Int)
    /// A given vector, one value per channel.
    case vector([Double])

    /// The profile, shape `[channels]`, in `x`'s floating dtype.
    ///
    /// - Parameter x: `[cells, channels]`.
    /// - Precondition: `row` is in range and `vector` has one value per channel.
    public func profile(of x: Tensor) -> Tensor {
        precondition(x.rank == 2, "[referenceProfile] needs a [cells, channels] matrix, got shape \(x.shape)")
        let dtype = x.dtype.isFloatingPoint ? x.dtype : .float32
        switch self {
        case .mean:
            let floating = x.dtype.isFloatingPoint ? x : x.astype(dtype)
            return columnSums(floating) / Double(x.shape[0])
        case .median:
            return x.quantile(0.5, axis: 0)
        case .row(let index):
            precondition(index >= 0 && index < x.shape[0],
                         "[referenceProfile] row \(index) is out of range for \(x.shape[0]) rows")
            return x[index].astype(dtype)
        case .vector(let values):
            precondition(values.count == x.shape[1],
                         "[referenceProfile] the profile has \(values.count) values for \(x.shape[1]) channels")
            return Tensor(shape: [values.count], scalars: values, dtype: dtype)
        }
    }
}

/// Several named reference profiles (phenotypes), for nearest-profile classification.
///
/// ```swift
/// let types = ProfileSet(names: ["T cell", "B cell"], profiles: Tensor([[1.0, 0, 3], [0, 2, 1]]))
/// let result = types.assign(cells, metric: .euclidean)
/// result.counts   // cells per phenotype
/// ```
public struct ProfileSet: Sendable {
    /// The name of each profile.
    public var names: [String]
    /// The profiles, shape `[profiles, channels]`.
    public var profiles: Tensor

    /// Creates a set from names and a `[profiles, channels]` matrix.
    ///
    /// - Precondition: one name per row.
    public init(names: [String], profiles: Tensor) {
        precondition(profiles.rank == 2 && profiles.shape[0] == names.count,
                     "[ProfileSet] \(names.count) names for profiles of shape \(profiles.shape)")
        self.names = names
        self.profiles = profiles
    }

    /// The profiles of a ``LabeledMatrix`` whose rows are named profiles.
    public init(_ matrix: LabeledMatrix) {
        self.init(names: matrix.rowNames ?? (0..<matrix.rows).map { "profile \($0)" }, profiles: matrix.values)
    }

    /// Each cell's nearest profile.
    public struct Assignment: Sendable {
        /// The nearest profile of each cell, shape `[cells]`, int64 (the first on ties).
        public var indices: Tensor
        /// The distance to it, shape `[cells]`.
        public var distances: Tensor
        /// How many cells each profile got, in ``ProfileSet/names`` order.
        public var counts: [Int]
    }

    /// Assigns every row of `x` to its nearest profile under `metric`.
    ///
    /// - Parameters:
    ///   - x: `[cells, channels]`.
    ///   - metric: How distance is measured.
    /// - Returns: Indices, distances and counts per profile.
    public func assign(_ x: Tensor, metric: DistanceMetric = .euclidean) -> Assignment {
        let all = metric.pairwiseDistances(x, profiles).eval()
        let indices = all.argmin(axis: 1).eval()
        let distances = all.min(axis: 1).eval()
        let k = names.count
        let counts = (indices.unsqueeze(axis: 1) .== Tensor.arange(k, device: indices.device).unsqueeze(axis: 0)).sum(axis: 0)
            .scalars(as: Int.self)
        return Assignment(indices: indices, distances: distances, counts: counts)
    }
}
