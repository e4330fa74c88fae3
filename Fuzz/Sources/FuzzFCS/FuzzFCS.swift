import Tessera
import TesseraBio

// libFuzzer target for `FCSFile.parse`: every input must parse into a consistent data set or throw a
// `TesseraError` whose description is one line naming the input. Anything else traps, so libFuzzer keeps it
// as a crash. Data sets 0 and 1 are both read, so the `$NEXTDATA` chain is exercised too.

private let name = "fuzz.fcs"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFCS(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    for dataset in 0...1 {
        do {
            check(try FCSFile.parse(bytes, path: name, dataset: dataset), dataset: dataset)
        } catch {
            checkOneLine(error)
        }
    }
    return 0
}

/// A parsed data set's shape agrees with its keywords.
private func check(_ f: FCSFile, dataset: Int) {
    let columns = f.parameters.count
    require(columns >= 1, "no parameters")
    require(f.events >= 0 && f.dataset == dataset, "events \(f.events), data set \(f.dataset)")
    require(f.data.shape == [f.events, columns], "data shape \(f.data.shape) for \(f.events) × \(columns)")
    require(f.data.count == f.events * columns, "data count \(f.data.count) for \(f.events) × \(columns)")
    require(f.data.dtype == (f.dataType == "D" ? .float64 : .float32), "dtype \(f.data.dtype) for \(f.dataType)")
    require(["F", "D", "I"].contains(f.dataType), "data type \(f.dataType)")
    require(f["$TOT"].flatMap { Int(trimmedSpaces($0)) } == f.events, "$TOT \(f["$TOT"] ?? "none") for \(f.events) events")
    for p in f.parameters {
        require(f.dataType == "F" ? p.bits == 32 : f.dataType == "D" ? p.bits == 64 : p.bits % 8 == 0 && p.bits > 0,
                     "\(p.bits) bits for \(f.dataType)")
    }
}

/// One line that names the input, with a message.
private func checkOneLine(_ error: TesseraError) {
    let text = error.description
    require(error.location == name && text.hasPrefix(name + ": "), "error does not name the input: \(text)")
    require(!error.message.isEmpty, "empty message: \(text)")
    require(!text.contains(where: \.isNewline), "error is not one line: \(text.debugDescription)")
}

/// `s` without the padding FCS writers put around numbers.
private func trimmedSpaces(_ s: String) -> String {
    let isPad: (Character) -> Bool = { $0 == " " || $0 == "\0" || $0 == "\t" || $0 == "\r" || $0 == "\n" }
    return String(s.drop(while: isPad).reversed().drop(while: isPad).reversed())
}

/// Traps with `message` when `condition` is false; unlike `precondition`, keeps the message in -O builds.
private func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
