import Tessera

/// A bad `tessera bench` argument: one line naming the option and the value, raised before any work.
public struct BenchInputError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Comma-separated size lists (`--n 1000000,5000000,20000000`) and the cases they make.
public enum Sweep {
    /// Parses `text` given to `--option` as a list of positive whole numbers.
    ///
    /// Accepts plain digits, `_` or `,`-free groupings such as `5_000_000`, and exact powers written
    /// `5e6`; rejects anything else with a one-line error naming the option and the offending value.
    public static func parse(_ text: String, option: String) throws -> [Int] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { item in
            String(item.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
        }
        var values: [Int] = []
        for item in items {
            guard !item.isEmpty else {
                throw BenchInputError("--\(option) \(text): empty value in the list")
            }
            values.append(try value(item, option: option))
        }
        return values
    }

    /// One value of a list.
    static func value(_ item: String, option: String) throws -> Int {
        let fail = { (why: String) in BenchInputError("--\(option) \(item): \(why)") }
        let body = item.hasPrefix("-") || item.hasPrefix("+") ? String(item.dropFirst()) : item
        let negative = item.hasPrefix("-")
        let parts = body.lowercased().split(separator: "e", omittingEmptySubsequences: false)
        let digitsOnly = { (s: Substring) in !s.isEmpty && s.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "_") } && s.first != "_" }
        guard parts.count <= 2, digitsOnly(parts[0]), parts.count == 1 || digitsOnly(parts[1]) else {
            throw fail("not a whole number")
        }
        if negative { throw fail("must be positive") }
        var result = 0
        for c in parts[0] where c != "_" {
            let (times, o1) = result.multipliedReportingOverflow(by: 10)
            let (plus, o2) = times.addingReportingOverflow(Int(c.asciiValue! - 48))
            if o1 || o2 { throw fail("too large (at most \(Int.max))") }
            result = plus
        }
        if parts.count == 2 {
            let exponent = Int(parts[1].filter { $0 != "_" }) ?? Int.max
            if exponent > 18 && result != 0 { throw fail("too large (at most \(Int.max))") }
            for _ in 0..<min(exponent, 19) where result != 0 {
                let (times, overflow) = result.multipliedReportingOverflow(by: 10)
                if overflow { throw fail("too large (at most \(Int.max))") }
                result = times
            }
        }
        if result == 0 { throw fail("must be positive") }
        return result
    }

    /// Every combination of `ns` and `ds` (n outer, d inner) as specs of `workload`.
    public static func specs(_ workload: Workload, ns: [Int], ds: [Int] = [0], gemm: GEMMChoice = .both) -> [WorkloadSpec] {
        ns.flatMap { n in ds.map { d in WorkloadSpec(workload, n: n, d: d, gemm: gemm) } }
    }

    /// Checks every case against physical memory (and the peers' copies) before any work starts.
    public static func checkMemory(_ specs: [WorkloadSpec], withPeers: Bool, physical: Int = BenchEnvironment.physicalMemory) throws {
        guard physical > 0 else { return }
        for spec in specs {
            let flags = spec.params.keys.sorted().reversed().map { "--\($0) \(spec.params[$0]!)" }.joined(separator: " ")
            guard let tessera = spec.tesseraBytes, let peer = spec.peerBytes else {
                throw BenchInputError("\(flags): \(spec.workload.rawValue) sizes overflow")
            }
            let (needed, overflow) = tessera.addingReportingOverflow(withPeers ? peer : 0)
            if overflow || needed > physical {
                let amount = overflow ? "more than 8 EiB" : gibibytes(needed)
                throw BenchInputError(
                    "\(flags): \(spec.workload.rawValue) needs about \(amount)\(withPeers ? " with a peer" : ""), more than this machine's \(gibibytes(physical))")
            }
        }
    }
}

/// The device a `--device` value names, as every `tessera` command reads it: `auto` (the first CUDA
/// device when one can be used, else the CPU), `cpu`, `cuda` or `cuda:N`.
public enum DeviceSelection {
    /// The accepted spellings, for help texts.
    public static let spellings = "auto, cpu, cuda, cuda:N"

    /// The device `text` names, or a one-line error. Without a `--device`, the first CUDA device when
    /// one can be used, else the CPU; an explicit `auto` that falls back also tells `notice` why.
    public static func resolve(_ text: String?, notice: (String) -> Void) throws -> Device {
        if text == nil || text == "auto" {
            do throws(TesseraError) {
                try Device.cuda(0).checkAvailable()
                return .cuda(0)
            } catch {
                if text != nil { notice("tessera: no CUDA device (\(error.message)); --device auto runs on the CPU") }
                return .cpu
            }
        }
        let text = text!
        guard let device = Device(parsing: text) else {
            throw BenchInputError("--device \(text): unknown device (available: \(spellings))")
        }
        do throws(TesseraError) {
            try device.checkAvailable()
        } catch {
            throw BenchInputError("--device \(text): \(error.message)")
        }
        return device
    }
}
