#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import TesseraBench

/// Progress lines go to stderr only when it is a terminal.
@Suite struct ProgressTests {
    /// Everything written to a pipe by `body`.
    static func captured(_ body: (Int32) -> Void) -> String {
        var fds: [Int32] = [-1, -1]
        #expect(pipe(&fds) == 0)
        return captured(from: fds, body)
    }

    /// Everything written to the pipe `fds` before and by `body`, which gets its writing end.
    static func captured(from fds: [Int32], _ body: (Int32) -> Void) -> String {
        body(fds[1])
        close(fds[1])
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        close(fds[0])
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func silentWhenNotATerminal() {
        let text = Self.captured { fd in
            let progress = BenchProgress(fd: fd)
            #expect(!progress.enabled)
            progress.total = 2
            progress.step("distance n=5 d=2", "tessera")
            progress.step("distance n=5 d=2", "numpy")
            progress.finish()
        }
        #expect(text.isEmpty)
    }

    @Test func aRunWritesNothingWhenNotATerminal() async {
        var fds: [Int32] = [-1, -1]
        #expect(pipe(&fds) == 0)
        _ = await BenchRunner.run([WorkloadSpec(.transfer, n: 10)], settings: HarnessSettings(repeats: 1), peers: [],
                                  python: "python3", progress: BenchProgress(fd: fds[1]))
        #expect(Self.captured(from: fds) { _ in }.isEmpty)
    }

    @Test func countsEveryStepOnATerminal() {
        let text = Self.captured { fd in
            let progress = BenchProgress(fd: fd, force: true)
            progress.total = 8
            for _ in 0..<3 { progress.step("distance n=5000000 d=32", "tessera") }
            progress.finish()
        }
        #expect(text.contains("[3/8] distance n=5000000 d=32: tessera…"))
        #expect(text.hasSuffix("\r\u{1B}[K"))
        #expect(BenchProgress.line(3, of: 8, "distance n=5000000 d=32", "tessera") == "[3/8] distance n=5000000 d=32: tessera…")
    }

    /// The one line every command redraws: the bar, no redraw of the same text, cleared at the end.
    @Test func progressLineRedrawsInPlace() {
        #expect(ProgressLine.bar(0, width: 4) == "[----]" && ProgressLine.bar(0.5, width: 4) == "[##--]")
        #expect(ProgressLine.bar(1.7, width: 4) == "[####]" && ProgressLine.bar(-1, width: 4) == "[----]")
        let text = Self.captured { fd in
            let line = ProgressLine(fd: fd, force: true)
            line.show("a")
            line.show("a")
            line.show("b")
            line.finish()
        }
        #expect(text == "\r\u{1B}[Ka\r\u{1B}[Kb\r\u{1B}[K")
        #expect(Self.captured { fd in ProgressLine(fd: fd).show("x") }.isEmpty)
    }
}

