/// Decompresses raw deflate streams (RFC 1951), the compression of ZIP entries and so of
/// `np.savez_compressed` files.
///
/// ```swift
/// let data = try Inflate.decompress(stream, limit: entrySize, file: "x.npz", offset: dataStart)
/// ```
package enum Inflate {
    /// Inflates the raw deflate stream `input` (no zlib or gzip wrapper).
    ///
    /// - Parameters:
    ///   - input: the compressed bytes; anything after the final block is ignored.
    ///   - limit: the most bytes the stream may inflate to (a ZIP entry's declared size); more is an error,
    ///     so a corrupt or hostile stream cannot exhaust memory.
    ///   - file: the name errors report as their location.
    ///   - offset: where `input` starts in `file`, added to the offsets errors report.
    /// - Returns: the inflated bytes.
    /// - Throws: ``TesseraError`` of kind `.badFile` for any malformed or truncated stream.
    package static func decompress(
        _ input: UnsafeRawBufferPointer, limit: Int, file: String, offset: Int
    ) throws(TesseraError) -> [UInt8] {
        var inflater = Inflater(input: input, limit: limit, file: file, offset: offset)
        try inflater.run()
        return inflater.output
    }
}

/// A canonical Huffman code, decoded through a 9-bit lookup table with a bit-by-bit fallback for longer codes.
private struct HuffmanCode {
    static let fastBits = 9
    /// Indexed by the next `fastBits` input bits: `symbol << 4 | length`, or 0 when the code is longer.
    private var fast = [UInt16](repeating: 0, count: 1 << fastBits)
    /// How many codes have each length 0...15, and the symbols ordered by (length, value).
    private var counts = [Int](repeating: 0, count: 16)
    private var symbols: [UInt16] = []

    /// Builds the code from each symbol's code length (0 = unused); nil if the lengths are over-subscribed.
    init?(lengths: ArraySlice<UInt8>) {
        for length in lengths { counts[Int(length)] += 1 }
        var left = 1
        for length in 1...15 {
            left = left << 1 - counts[length]
            if left < 0 { return nil }
        }
        var nextCode = [Int](repeating: 0, count: 16)
        var offsets = [Int](repeating: 0, count: 16)
        for length in 1..<15 {
            nextCode[length + 1] = (nextCode[length] + counts[length]) << 1
            offsets[length + 1] = offsets[length] + counts[length]
        }
        symbols = [UInt16](repeating: 0, count: offsets[15] + counts[15])
        for (symbol, length) in zip(0..., lengths) where length > 0 {
            let length = Int(length)
            symbols[offsets[length]] = UInt16(symbol)
            offsets[length] += 1
            let code = nextCode[length]
            nextCode[length] += 1
            guard length <= Self.fastBits else { continue }
            // Deflate sends codes most significant bit first, so the table is indexed by reversed codes.
            var reversed = 0
            for bit in 0..<length where code & (1 << bit) != 0 { reversed |= 1 << (length - 1 - bit) }
            for high in stride(from: 0, to: 1 << Self.fastBits, by: 1 << length) {
                fast[reversed | high] = UInt16(symbol << 4 | length)
            }
        }
    }

    /// The symbol at the front of `bits` (`available` of them valid) and its length, or nil when the bits
    /// are no code of this table; a length above `available` means the stream ended inside the code.
    func decode(_ bits: UInt64, available: Int) -> (symbol: Int, length: Int)? {
        let entry = Int(fast[Int(bits & UInt64(1 << Self.fastBits - 1))])
        if entry != 0 { return (entry >> 4, entry & 15) }
        var code = 0
        var first = 0
        var index = 0
        for length in 1...15 {
            code |= Int(bits >> (length - 1) & 1)
            let count = counts[length]
            if code - first < count { return (Int(symbols[index + code - first]), length) }
            if length >= available { return (0, length + 1) }
            index += count
            first = (first + count) << 1
            code <<= 1
        }
        return nil
    }
}

/// The decoding state of one stream: a 64-bit bit buffer over the input and the output so far.
private struct Inflater {
    static let lengthBase = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
        131, 163, 195, 227, 258,
    ]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025,
        1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
    ]
    static let distanceExtra = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12,
        12, 13, 13,
    ]
    /// The order in which a dynamic block lists the code lengths of its code-length code.
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
    // The fixed codes of RFC 1951 §3.2.6; valid by construction.
    static let fixedLiterals = HuffmanCode(
        lengths: ArraySlice(
            [UInt8](repeating: 8, count: 144) + [UInt8](repeating: 9, count: 112)
                + [UInt8](repeating: 7, count: 24) + [UInt8](repeating: 8, count: 8)))!
    static let fixedDistances = HuffmanCode(lengths: ArraySlice([UInt8](repeating: 5, count: 30)))!

    let input: UnsafeRawBufferPointer
    let limit: Int
    let file: String
    let offset: Int
    var output: [UInt8] = []
    private var nextByte = 0
    private var bitBuffer: UInt64 = 0
    private var bitCount = 0

    init(input: UnsafeRawBufferPointer, limit: Int, file: String, offset: Int) {
        self.input = input
        self.limit = limit
        self.file = file
        self.offset = offset
        output.reserveCapacity(min(limit, 1 << 26))
    }

    mutating func run() throws(TesseraError) {
        var isFinal = false
        while !isFinal {
            isFinal = try bits(1) == 1
            switch try bits(2) {
            case 0: try copyStoredBlock()
            case 1: try inflateBlock(literals: Self.fixedLiterals, distances: Self.fixedDistances)
            case 2:
                let (literals, distances) = try readDynamicCodes()
                try inflateBlock(literals: literals, distances: distances)
            default: throw bad("expected deflate block type 0, 1 or 2, found 3")
            }
        }
    }

    private mutating func copyStoredBlock() throws(TesseraError) {
        // Skip to the byte boundary, read the lengths, then hand the whole bytes still buffered back to the input.
        _ = try bits(bitCount % 8)
        let length = try bits(16)
        let complement = try bits(16)
        nextByte -= bitCount / 8
        (bitBuffer, bitCount) = (0, 0)
        guard length == ~complement & 0xFFFF else {
            throw bad("expected stored block length \(length) to be followed by its complement, found \(complement)")
        }
        guard length <= input.count - nextByte else {
            throw bad("stored block needs \(length) bytes, stream has \(input.count - nextByte) left")
        }
        try checkRoom(for: length)
        output.append(contentsOf: input[nextByte..<(nextByte + length)])
        nextByte += length
    }

    private mutating func readDynamicCodes() throws(TesseraError) -> (HuffmanCode, HuffmanCode) {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeLengthCount = try bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else {
            throw bad("expected at most 286 literal and 30 distance codes, found \(literalCount) and \(distanceCount)")
        }
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for i in 0..<codeLengthCount { codeLengthLengths[Self.codeLengthOrder[i]] = UInt8(try bits(3)) }
        guard let codeLengthCode = HuffmanCode(lengths: codeLengthLengths[...]) else {
            throw bad("expected a valid code-length Huffman code, found over-subscribed lengths")
        }
        var lengths: [UInt8] = []
        while lengths.count < literalCount + distanceCount {
            let symbol = try decode(codeLengthCode)
            if symbol < 16 {
                lengths.append(UInt8(symbol))
                continue
            }
            let (value, repeats): (UInt8, Int)
            switch symbol {
            case 16:
                guard let previous = lengths.last else { throw bad("expected a code length before repeat code 16") }
                (value, repeats) = (previous, 3 + (try bits(2)))
            case 17: (value, repeats) = (0, 3 + (try bits(3)))
            default: (value, repeats) = (0, 11 + (try bits(7)))
            }
            guard lengths.count + repeats <= literalCount + distanceCount else {
                throw bad("expected \(literalCount + distanceCount) code lengths, found a repeat past the end")
            }
            lengths += repeatElement(value, count: repeats)
        }
        guard lengths[256] != 0 else { throw bad("expected a code for end-of-block, found none") }
        guard let literals = HuffmanCode(lengths: lengths[..<literalCount]),
            let distances = HuffmanCode(lengths: lengths[literalCount...])
        else { throw bad("expected valid literal and distance Huffman codes, found over-subscribed lengths") }
        return (literals, distances)
    }

    private mutating func inflateBlock(literals: HuffmanCode, distances: HuffmanCode) throws(TesseraError) {
        while true {
            let symbol = try decode(literals)
            if symbol < 256 {
                try checkRoom(for: 1)
                output.append(UInt8(symbol))
                continue
            }
            if symbol == 256 { return }
            guard symbol <= 285 else { throw bad("expected a length code 257...285, found \(symbol)") }
            let length = Self.lengthBase[symbol - 257] + (try bits(Self.lengthExtra[symbol - 257]))
            let distanceSymbol = try decode(distances)
            guard distanceSymbol < 30 else { throw bad("expected a distance code 0...29, found \(distanceSymbol)") }
            let distance = Self.distanceBase[distanceSymbol] + (try bits(Self.distanceExtra[distanceSymbol]))
            guard distance <= output.count else {
                throw bad("expected a distance within the \(output.count) bytes inflated so far, found \(distance)")
            }
            try checkRoom(for: length)
            // Byte by byte: the source may overlap the bytes being appended (a run).
            let start = output.count - distance
            for i in 0..<length { output.append(output[start + i]) }
        }
    }

    private mutating func decode(_ code: HuffmanCode) throws(TesseraError) -> Int {
        refill()
        guard let (symbol, length) = code.decode(bitBuffer, available: bitCount) else {
            throw bad("expected a Huffman code, found bits that match none")
        }
        guard length <= bitCount else { throw endOfStream() }
        bitBuffer >>= UInt64(length)
        bitCount -= length
        return symbol
    }

    /// The next `count` bits (at most 32), least significant first.
    private mutating func bits(_ count: Int) throws(TesseraError) -> Int {
        if bitCount < count {
            refill()
            guard bitCount >= count else { throw endOfStream() }
        }
        let value = Int(bitBuffer & (1 << UInt64(count) - 1))
        bitBuffer >>= UInt64(count)
        bitCount -= count
        return value
    }

    private mutating func refill() {
        while bitCount <= 56 && nextByte < input.count {
            bitBuffer |= UInt64(input[nextByte]) << UInt64(bitCount)
            nextByte += 1
            bitCount += 8
        }
    }

    private func checkRoom(for count: Int) throws(TesseraError) {
        guard count <= limit - output.count else {
            throw bad("expected at most \(limit) inflated bytes, found more")
        }
    }

    private func endOfStream() -> TesseraError {
        bad("expected more deflate data, found end of stream after \(input.count) bytes")
    }

    /// An error at the byte the decoder has reached.
    private func bad(_ message: String) -> TesseraError {
        TesseraError(.badFile, message, location: file, offset: offset + nextByte - bitCount / 8)
    }
}
