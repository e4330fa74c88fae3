/// "[3/8] distance n=5000000 d=32: tessera…" on stderr, redrawn in place, only when it is a terminal.
public final class BenchProgress {
    private let line: ProgressLine
    public var total = 0
    public private(set) var done = 0

    public init(fd: Int32 = 2, force: Bool = false) { line = ProgressLine(fd: fd, force: force) }

    /// Whether anything is written: the file descriptor is a terminal (or `force`).
    public var enabled: Bool { line.enabled }

    /// The text of step `index` of `total`.
    public static func line(_ index: Int, of total: Int, _ label: String, _ who: String) -> String {
        "[\(index)/\(total)] \(label): \(who)…"
    }

    /// Starts the next step.
    public func step(_ label: String, _ who: String) {
        done += 1
        line.show(Self.line(done, of: total, label, who))
    }

    /// Clears the line, so the table that follows starts clean.
    public func finish() { line.finish() }
}
