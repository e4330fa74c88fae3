#!/bin/sh
# Parse-speed and exactness benchmark for the TesseraBio CSV reader, built with `swiftc -O` outside
# SwiftPM (the parser files need only TesseraError, stubbed here). Run from anywhere:
#   sh Tests/TesseraBioTests/Fixtures/matrix/parse_bench.sh
# Prints: 2,000,000 random numbers checked bit-for-bit against Double(String), then MB/s over a
# 120 MB, 32-column CSV (3 trials).
set -e
here=$(cd "$(dirname "$0")" && pwd)
src="$here/../../../../Sources/TesseraBio/Matrix"
work=$(mktemp -d /tmp/tessera-parse-bench-XXXXXX)
for f in DecimalParser DelimitedParser; do sed '/^import Tessera$/d' "$src/$f.swift" > "$work/$f.swift"; done
cat > "$work/Stubs.swift" <<'SWIFT'
struct TesseraError: Error { enum Kind { case badFile, io, invalidArgument, unsupported }
  let kind: Kind; let message: String; let location: String?
  init(_ kind: Kind, _ message: String, location: String? = nil, offset: Int? = nil) { self.kind = kind; self.message = message; self.location = location } }
enum LabeledMatrix { static let missingListLimit = 20
  struct Position { var row: Int; var column: Int }
  enum RowNames { case auto, present, absent } }
SWIFT
cat > "$work/main.swift" <<'SWIFT'
import Glibc
func now() -> Double { var t = timespec(); clock_gettime(CLOCK_MONOTONIC, &t); return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9 }
var rng = SystemRandomNumberGenerator()
// Exactness: random doubles printed several ways vs Double(String).
var checked = 0, fast = 0
for k in 0..<2_000_000 {
  var s: String
  switch k % 5 {
  case 0: s = String(Double.random(in: -1e6...1e6, using: &rng))
  case 1: s = String(Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF))
  case 2: let digits = Int.random(in: 1...19, using: &rng); var m = ""; for _ in 0..<digits { m += String(Int.random(in: 0...9, using: &rng)) }
          let dot = Int.random(in: 0...digits, using: &rng); m.insert(".", at: m.index(m.startIndex, offsetBy: dot)); s = (Bool.random() ? "-" : "") + m + (Bool.random() ? "e\(Int.random(in: -30...30, using: &rng))" : "")
  case 3: s = String(Float.random(in: -1000...1000, using: &rng))
  default: s = String(Int.random(in: -100000...100000, using: &rng))
  }
  let want = Double(s)
  let bytes = Array(s.utf8)
  let got = bytes.withUnsafeBufferPointer { DecimalParser.parse($0.baseAddress!, 0, $0.count) }
  if bytes.withUnsafeBufferPointer({ DecimalParser.parseFast($0.baseAddress!, 0, $0.count) }) != nil { fast += 1 }
  if want?.bitPattern != got?.bitPattern && !(want?.isNaN ?? false) { print("MISMATCH", s, want as Any, got as Any); break }
  checked += 1
}
print("exactness: \(checked) values agree with Double(String); \(fast) via fast path")
// Speed: 100+ MB CSV, 32 columns of %.6g-like values.
var text: [UInt8] = []
let cols = 32
text.append(contentsOf: Array((0..<cols).map { "c\($0)" }.joined(separator: ",").utf8)); text.append(10)
while text.count < 120_000_000 {
  for c in 0..<cols {
    let v = Double.random(in: -500...5000, using: &rng)
    let r = (v * 10000).rounded() / 10000
    text.append(contentsOf: Array(String(r).utf8))
    text.append(c == cols - 1 ? 10 : 44)
  }
}
for trial in 0..<3 {
  let t0 = now()
  let table = try! text.withUnsafeBufferPointer { buf in
    var p = DelimitedParser(file: "bench.csv", bytes: buf, options: .init(delimiter: 44, header: true, rowNames: .absent, missingValues: ["", "NA", "NaN", "nan", "null"], columns: nil))
    return try p.parse()
  }
  let dt = now() - t0
  print("trial \(trial): \(table.rows)x\(table.columns), \(text.count) bytes in \(dt) s = \(Double(text.count) / dt / 1e6) MB/s")
}
SWIFT
swiftc -O -o "$work/bench" "$work/main.swift" "$work/Stubs.swift" "$work/DecimalParser.swift" "$work/DelimitedParser.swift"
"$work/bench"
rm -rf "$work"
