#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TesseraReport

@Suite struct LogAxisTests {
    @Test func decadesCoverTheValues() {
        let axis = LogAxis(covering: [0.37, 12, 4200])
        #expect(axis.lowExponent == -1 && axis.highExponent == 4)
        #expect(axis.ticks == [0.1, 1, 10, 100, 1000, 10000])
        // Exact powers of ten stay the ends; a single value still spans a decade.
        #expect(LogAxis(covering: [1, 100]).ticks == [1, 2, 5, 10, 20, 50, 100])
        #expect(LogAxis(covering: [3]).lowExponent == 0 && LogAxis(covering: [3]).highExponent == 1)
        #expect(LogAxis(covering: []).ticks == [1, 2, 5, 10])
    }

    @Test(arguments: [0.1, 0.37, 1, 2, 5, 12, 99.9, 1000, 4200, 10000])
    func positionsFollowLog10(value: Double) {
        let axis = LogAxis(covering: [0.37, 4200]), length = 500.0
        let expected = (log10(value) - log10(axis.lower)) / (log10(axis.upper) - log10(axis.lower)) * length
        #expect(Swift.abs(axis.position(value, length: length) - expected) < 1e-9)
    }

    @Test func positionsClampAndIgnoreNonPositive() {
        let axis = LogAxis(covering: [1, 100])
        #expect(axis.position(0.001, length: 100) == 0)
        #expect(axis.position(1e9, length: 100) == 100)
        #expect(axis.position(0, length: 100) == 0)
        #expect(axis.position(-3, length: 100) == 0)
    }

    @Test func tickLabelsAreShort() {
        #expect(axisLabel(0.001) == "0.001")
        #expect(axisLabel(0.05) == "0.05")
        #expect(axisLabel(0.5) == "0.5")
        #expect(axisLabel(1) == "1")
        #expect(axisLabel(20) == "20")
        #expect(axisLabel(1000) == "1000")
        #expect(axisLabel(1_000_000, compact: true) == "1M")
        #expect(axisLabel(20_000_000, compact: true) == "20M")
        #expect(axisLabel(5000, compact: true) == "5k")
    }
}
