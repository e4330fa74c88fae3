#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// NumPy's `.npy` and `.npz` files for tensors.
///
/// ## Types
/// Every ``DType`` saves as the NumPy type of the same name (`bool` → `|b1`, `int32` → `<i4`, …), except
/// **bfloat16**, which NumPy lacks: it saves as `<u2` holding the raw bits (exact; in NumPy,
/// `np.load(path).view(ml_dtypes.bfloat16)` recovers the values). Loading reads every NumPy bool, integer
/// and real float type. Integer types Tessera lacks widen to the nearest one that holds all their values:
/// `int8`, `int16` and `uint16` load as int32, `uint32` as int64, and `uint64` as int64 (a value above
/// `Int64.max` is an error naming the file and offset). So a saved bfloat16 tensor loads back as int32
/// holding its bit patterns. Complex, string, object, datetime and structured arrays are errors.
///
/// ## Layout
/// Files may be in C or Fortran order and of either byte order; loaded tensors are dense, row-major and
/// native-endian. Saves write little-endian C order, with exactly the header bytes NumPy writes, through
/// a temporary file renamed over the target, so a reader never sees half a file.
extension Tensor {
    /// Loads the array in the `.npy` file at `path`.
    ///
    /// Data is read straight into the tensor's memory (no intermediate copy) on all cores, so a large
    /// file loads at close to memory speed once it is in the page cache.
    ///
    /// ```swift
    /// let w = try Tensor.load(npy: "weights.npy")   // np.save("weights.npy", w) in Python
    /// ```
    ///
    /// - Throws: ``TesseraError`` naming `path` (and the byte offset, where there is one): `.io` when the
    ///   file cannot be opened or read, `.badFile` for a wrong magic, a malformed header or a file shorter
    ///   than its header says, `.unsupported` for dtypes Tessera does not read.
    public static func load(npy path: String) throws(TesseraError) -> Tensor {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw npyIOError(path, "cannot open for reading") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw npyIOError(path, "cannot stat") }
        guard info.st_mode & S_IFMT == S_IFREG else {
            // Pipes and devices have no size to map; read them whole.
            guard info.st_mode & S_IFMT != S_IFDIR else {
                throw TesseraError(.io, "is a directory, expected a file", location: path)
            }
            return try decodeNPY(AtomicFile.read(path), file: path)
        }
        let size = Int(info.st_size)
        // The header parser wants the whole file (it checks the data length against it); a mapping gives
        // it that while touching only the header's pages. The data is then read with pread, which beats
        // faulting in the mapping page by page.
        var mapping: UnsafeMutableRawPointer?
        if size > 0 {
            let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
            guard let p, p != MAP_FAILED else { return try decodeNPY(AtomicFile.read(path), file: path) }
            mapping = p
        }
        defer { if let mapping { munmap(mapping, size) } }
        let (header, dataOffset) = try NPYFormat.parseHeader(UnsafeRawBufferPointer(start: mapping, count: size), file: path)
        return try makeTensor(header, dataOffset: dataOffset, file: path) { (destination, byteCount) throws(TesseraError) in
            try preadAll(fd, into: destination, count: byteCount, at: dataOffset, path: path)
        }
    }

    /// Saves the tensor to `path` as a `.npy` file (little-endian, C order), replacing it atomically.
    ///
    /// A bfloat16 tensor is saved as `<u2` raw bits, which load back as int32 (see "Types" above).
    ///
    /// ```swift
    /// try Tensor.randn([3, 4], seed: 0).save(npy: "x.npy")   // np.load("x.npy") in Python
    /// ```
    ///
    /// - Throws: ``TesseraError`` of kind `.io` naming `path` when it cannot be written.
    public func save(npy path: String) throws(TesseraError) {
        try AtomicFile.write(npyBytes(), to: path)
    }

    /// Loads every array of the `.npz` archive at `path` (from `np.savez` or `np.savez_compressed`), in
    /// archive order, named as NumPy names them (the member name without `.npy`).
    ///
    /// ```swift
    /// for (name, tensor) in try Tensor.load(npz: "model.npz") { print(name, tensor.shape) }
    /// ```
    ///
    /// - Throws: ``TesseraError`` naming `path` for an unreadable or malformed archive, and
    ///   `path[member.npy]` for a member that is not a readable `.npy` array.
    public static func load(npz path: String) throws(TesseraError) -> [(name: String, tensor: Tensor)] {
        let archive = try AtomicFile.read(path)
        var result: [(name: String, tensor: Tensor)] = []
        for entry in try ZIPArchive.read(archive, file: path) {
            let name = entry.name.hasSuffix(".npy") ? String(entry.name.dropLast(4)) : entry.name
            result.append((name, try decodeNPY(entry.data, file: "\(path)[\(entry.name)]")))
        }
        return result
    }

    /// Loads every array of the `.npz` archive at `path` by name; a repeated name keeps the last array.
    ///
    /// ```swift
    /// let weights = try Tensor.loadDictionary(npz: "model.npz")
    /// let w1 = weights["w1"]!
    /// ```
    ///
    /// - Throws: as ``load(npz:)``.
    public static func loadDictionary(npz path: String) throws(TesseraError) -> [String: Tensor] {
        Dictionary(try load(npz: path).map { ($0.name, $0.tensor) }, uniquingKeysWith: { _, last in last })
    }

    /// Saves `tensors` to `path` as an uncompressed `.npz` archive, in the given order, replacing the
    /// file atomically; `np.load(path)[name]` reads them back.
    ///
    /// ```swift
    /// try Tensor.save(npz: "model.npz", [("w", w), ("b", b)])
    /// ```
    ///
    /// - Throws: ``TesseraError`` of kind `.invalidArgument` for an empty or repeated name, `.io` naming
    ///   `path` when it cannot be written.
    public static func save(npz path: String, _ tensors: [(String, Tensor)]) throws(TesseraError) {
        var seen = Set<String>()
        for (name, _) in tensors {
            guard !name.isEmpty else {
                throw TesseraError(.invalidArgument, "an array name is empty", location: path)
            }
            guard seen.insert(name).inserted else {
                throw TesseraError(.invalidArgument, "array name '\(name)' appears twice", location: path)
            }
        }
        let entries = tensors.map { (name: $0.0 + ".npy", data: $0.1.npyBytes()) }
        try AtomicFile.write(ZIPArchive.write(entries), to: path)
    }

    /// Saves `tensors` to `path` as an uncompressed `.npz` archive, sorted by name (so the same
    /// dictionary always gives the same bytes).
    ///
    /// ```swift
    /// try Tensor.save(npz: "model.npz", ["w": w, "b": b])
    /// ```
    ///
    /// - Throws: as the array-of-pairs form.
    public static func save(npz path: String, _ tensors: [String: Tensor]) throws(TesseraError) {
        try save(npz: path, tensors.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    // MARK: - Bytes

    /// The tensor as the bytes of a `.npy` file: NumPy's header, then the data in little-endian C order.
    package func npyBytes() -> [UInt8] {
        let header = NPYFormat.encodeHeader(NPYHeader(type: dtype.npyType, shape: shape))
        let storage = hostStorage()
        let source = UnsafeRawPointer(storage.buffer.pointer + storage.layout.offset * dtype.byteSize)
        let dataCount = count * dtype.byteSize
        let elementSize = dtype.byteSize
        return [UInt8](unsafeUninitializedCapacity: header.count + dataCount) { bytes, initialized in
            let base = bytes.baseAddress!
            header.withUnsafeBufferPointer { base.initialize(from: $0.baseAddress!, count: header.count) }
            let data = UnsafeMutableRawPointer(base + header.count)
            parallelCopy(from: source, to: data, count: dataCount)
            if !hostIsLittleEndian { swapBytesInPlace(data, elementSize: elementSize, count: dataCount / elementSize) }
            initialized = header.count + dataCount
        }
    }

    /// The array in `bytes`, a whole `.npy` file (or `.npz` member); errors name `file`.
    package static func decodeNPY(_ bytes: [UInt8], file: String) throws(TesseraError) -> Tensor {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(TesseraError) in
                let (header, dataOffset) = try NPYFormat.parseHeader(raw, file: file)
                return try makeTensor(header, dataOffset: dataOffset, file: file) { destination, byteCount in
                    parallelCopy(from: raw.baseAddress! + dataOffset, to: destination, count: byteCount)
                }
            }
        }.get()
    }

    /// A dense, row-major, native-endian tensor from the data `header` describes; `readData(p, n)` writes
    /// the `n` data bytes, in file order, at `p` (64-byte aligned).
    static func makeTensor(
        _ header: NPYHeader, dataOffset: Int, file: String,
        readData: (UnsafeMutableRawPointer, Int) throws(TesseraError) -> Void
    ) throws(TesseraError) -> Tensor {
        guard let dtype = header.type.tesseraDType, let count = header.elementCount else {
            throw TesseraError(.unsupported, "dtype \(header.type.name) ('\(header.descr)') is not supported",
                               location: file, offset: 0)
        }
        let itemSize = header.type.itemSize
        let buffer = Buffer.host(bytes: Swift.max(1, count * dtype.byteSize))
        let swap = itemSize > 1 && header.littleEndian != hostIsLittleEndian
        if header.type == dtype.npyType {
            try readData(buffer.pointer, count * itemSize)
            if swap { swapBytesInPlace(buffer.pointer, elementSize: itemSize, count: count) }
            if dtype == .bool { normalizeBools(buffer.pointer, count: count) }
        } else {
            let raw = Buffer.host(bytes: Swift.max(1, count * itemSize))
            try readData(raw.pointer, count * itemSize)
            try widen(raw.pointer, header.type, into: buffer.pointer, count: count, swap: swap,
                      file: file, dataOffset: dataOffset)
        }
        let shape = header.shape
        guard header.fortranOrder && shape.count > 1 else {
            return Tensor(storage: Storage(buffer: buffer, layout: Layout(contiguous: shape)), dtype: dtype)
        }
        // Column-major data is the row-major array of the reversed shape; reversing the axes back is a view.
        let reversed = Tensor(storage: Storage(buffer: buffer, layout: Layout(contiguous: shape.reversed())), dtype: dtype)
        return reversed.permute(Array((0..<shape.count).reversed())).contiguous().eval()
    }
}

// MARK: - Types

extension DType {
    /// The NumPy type a tensor of this dtype is saved as (bfloat16: its raw bits as uint16).
    var npyType: NPYElementType {
        switch self {
        case .bool: .bool
        case .uint8: .uint8
        case .int32: .int32
        case .int64: .int64
        case .float16: .float16
        case .bfloat16: .uint16
        case .float32: .float32
        case .float64: .float64
        }
    }
}

extension NPYElementType {
    /// The dtype an array of this type loads as: itself, or the narrowest wider integer type; nil for
    /// types Tessera does not read.
    var tesseraDType: DType? {
        switch self {
        case .bool: .bool
        case .uint8: .uint8
        case .int8, .int16, .uint16, .int32: .int32
        case .uint32, .uint64, .int64: .int64
        case .float16: .float16
        case .float32: .float32
        case .float64: .float64
        default: nil
        }
    }
}

// MARK: - Moving bytes

private let hostIsLittleEndian = 1.littleEndian == 1

/// Chunks of this many bytes go to different cores; below it a thread hop costs more than it saves.
private let copyGrain = 4 << 20

/// Reads `count` bytes of `fd` at `offset` into `destination`, on all cores.
///
/// - Throws: `.io` with the system's reason, or `.badFile` when the file ends early (it shrank after its
///   header was checked).
func preadAll(
    _ fd: Int32, into destination: UnsafeMutableRawPointer, count: Int, at offset: Int, path: String
) throws(TesseraError) {
    guard count > 0 else { return }
    let failure = Mutex<TesseraError?>(nil)
    let dst = UInt(bitPattern: destination)
    parallelRanges(count, grain: copyGrain) { range in
        var done = range.lowerBound
        while done < range.upperBound {
            let n = pread(fd, UnsafeMutableRawPointer(bitPattern: dst + UInt(done)), range.upperBound - done,
                          off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                let error = n < 0
                    ? npyIOError(path, "cannot read")
                    : TesseraError(.badFile, "file ended while reading \(count) bytes of data", location: path,
                                   offset: offset + done)
                failure.withLock { if $0 == nil { $0 = error } }
                return
            }
            done += n
        }
    }
    if let error = failure.withLock({ $0 }) { throw error }
}

/// Reverses the bytes of each of `count` elements of `elementSize` (2, 4 or 8) bytes at `base`.
private func swapBytesInPlace(_ base: UnsafeMutableRawPointer, elementSize: Int, count: Int) {
    func swap<T: FixedWidthInteger>(_: T.Type) {
        let address = UInt(bitPattern: base)
        parallelRanges(count, grain: copyGrain / elementSize) { range in
            let p = UnsafeMutableRawPointer(bitPattern: address)!.assumingMemoryBound(to: T.self)
            for i in range { p[i] = p[i].byteSwapped }
        }
    }
    switch elementSize {
    case 2: swap(UInt16.self)
    case 4: swap(UInt32.self)
    case 8: swap(UInt64.self)
    default: break
    }
}

/// Makes every nonzero byte 1, the only `true` Tessera's bool storage has.
private func normalizeBools(_ base: UnsafeMutableRawPointer, count: Int) {
    let p = base.assumingMemoryBound(to: UInt8.self)
    for i in 0..<count where p[i] > 1 { p[i] = 1 }
}

/// Converts `count` integers of `type` at `source` (file byte order) to the wider dtype at `destination`.
///
/// - Throws: `.unsupported` naming the file and offset of the first uint64 above `Int64.max`.
private func widen(
    _ source: UnsafeRawPointer, _ type: NPYElementType, into destination: UnsafeMutableRawPointer, count: Int,
    swap: Bool, file: String, dataOffset: Int
) throws(TesseraError) {
    func convert<S: FixedWidthInteger, D: FixedWidthInteger>(_: S.Type, _: D.Type) -> Int? {
        let s = source.assumingMemoryBound(to: S.self)
        let d = destination.assumingMemoryBound(to: D.self)
        for i in 0..<count {
            let v = swap ? s[i].byteSwapped : s[i]
            guard let w = D(exactly: v) else { return i }
            d[i] = w
        }
        return nil
    }
    let firstBad: Int? = switch type {
    case .int8: convert(Int8.self, Int32.self)
    case .int16: convert(Int16.self, Int32.self)
    case .uint16: convert(UInt16.self, Int32.self)
    case .uint32: convert(UInt32.self, Int64.self)
    case .uint64: convert(UInt64.self, Int64.self)
    default: fatalError("[load] no widening from \(type.name)")
    }
    if let i = firstBad {
        var raw = source.load(fromByteOffset: i * 8, as: UInt64.self)
        if swap { raw = raw.byteSwapped }
        throw TesseraError(
            .unsupported, "uint64 value \(raw) at element \(i) exceeds Int64.max; Tessera loads uint64 as int64",
            location: file, offset: dataOffset + i * 8)
    }
}

/// An `.io` error carrying `strerror(errno)`; call it right after the failing system call.
func npyIOError(_ path: String, _ what: String) -> TesseraError {
    TesseraError(.io, "\(what): \(String(cString: strerror(errno)))", location: path)
}
