/// An error from something outside the program: a file, an argument, a library or a device.
///
/// Its description is one line that names what was wrong and where, e.g.
/// `cells.npy: offset 10: header length 70000 runs past the end of the file (128 bytes)`.
public struct TesseraError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What kind of problem this is.
    public enum Kind: String, Sendable {
        /// A file whose bytes are not what its format requires.
        case badFile
        /// A file that could not be opened, read or written.
        case io
        /// A value that is well-formed but not supported (an unknown dtype, say).
        case unsupported
        /// A library (BLAS, CUDA) that could not be found or loaded.
        case library
        /// An argument outside its allowed range.
        case invalidArgument
    }

    /// What kind of problem this is.
    public let kind: Kind
    /// The file, library or argument the problem is in, if any.
    public let location: String?
    /// The byte offset within `location`, if the problem is at one place in a file.
    public let offset: Int?
    /// What was expected and what was found.
    public let message: String

    /// Creates an error; `location` and `offset` say where, `message` what was expected and found.
    public init(_ kind: Kind, _ message: String, location: String? = nil, offset: Int? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
        self.offset = offset
    }

    public var description: String {
        var parts: [String] = []
        if let location { parts.append(location) }
        if let offset { parts.append("offset \(offset)") }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}
