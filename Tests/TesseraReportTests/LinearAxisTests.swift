import Testing
import TesseraReport

@Suite struct LinearAxisTests {
    @Test func endsAndTicksAreRound() {
        let axis = LinearAxis(covering: [0.37, 5.6])
        #expect(axis.step == 1 && axis.lower == 0 && axis.upper == 6)
        #expect(axis.ticks == [0, 1, 2, 3, 4, 5, 6])
        #expect(axis.ticks.map(axis.label) == ["0", "1", "2", "3", "4", "5", "6"])
        // 0…14 in six steps would be 2.33 each: 2 is nearer than 5.
        #expect(LinearAxis(covering: [0.45, 13.99]).ticks == [0, 2, 4, 6, 8, 10, 12, 14])

        let negative = LinearAxis(covering: [7, -3])
        #expect(negative.step == 2 && negative.lower == -4 && negative.upper == 8)
        #expect(negative.ticks.map(negative.label) == ["-4", "-2", "0", "2", "4", "6", "8"])

        // Fractional steps print as many decimals as the step has, and 3 × 0.2 prints as 0.6.
        let fraction = LinearAxis(covering: [0, 0.9])
        #expect(fraction.step == 0.2 && fraction.upper == 1)
        #expect(fraction.ticks.map(fraction.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(LinearAxis(covering: [0, 25_000], intervals: 5).ticks == [0, 5000, 10000, 15000, 20000, 25000])
    }

    @Test func degenerateInputsStillGiveAnAxis() {
        let single = LinearAxis(covering: [3])
        #expect(single.lower < 3 && single.upper > 3)
        let zero = LinearAxis(covering: [0, 0])
        #expect(zero.lower < 0 && zero.upper > 0 && zero.ticks.contains(0))
        let none = LinearAxis(covering: [.nan, .infinity])
        #expect(none.lower == 0 && none.upper == 1)
    }

    @Test func positionsAreLinearAndClamped() {
        let axis = LinearAxis(covering: [0, 10])
        #expect(axis.lower == 0 && axis.upper == 10)
        #expect(axis.position(2.5, length: 500) == 125)
        #expect(axis.position(10, length: 500) == 500)
        #expect(axis.position(-4, length: 500) == 0)
        #expect(axis.position(99, length: 500) == 500)
        #expect(axis.position(.infinity, length: 500) == 500)
    }
}
