// The Goto/BLIS loop nest around a micro-kernel: B is packed in kc×nc blocks that stay in L3, A in
// mc×kc blocks that stay in L2, and the micro-kernel streams one kc×nr sliver of B from L1 against
// each mr×kc sliver of A.

extension GEMM {
    /// Products below this many multiply-adds run on one thread; a thread hop costs more.
    private static let parallelLimit = 1 << 20

    /// Splits C into one slab of whole tiles per thread, along its longer side, and runs each slab
    /// as an independent blocked product (each thread packs its own panels, so no barriers).
    static func blocked<T: GEMMScalar>(
        m: Int, n: Int, k: Int, a: StridedMatrix<T>, b: StridedMatrix<T>,
        c: UnsafeMutablePointer<T>, ldc: Int, accumulate: Bool, kernel: GEMMKernel<T>
    ) {
        let byRows = m >= n
        let (length, unit) = byRows ? (m, kernel.mr) : (n, kernel.nr)
        let tiles = (length + unit - 1) / unit
        let work = Double(m) * Double(n) * Double(k)
        let slabs = work < Double(parallelLimit) ? 1 : min(cpuThreadCount, tiles)
        parallelFor(slabs) { slab in
            let lo = tiles * slab / slabs * unit
            let hi = min(length, tiles * (slab + 1) / slabs * unit)
            guard lo < hi else { return }
            if byRows {
                blockedSerial(m: hi - lo, n: n, k: k, a: a.offset(row: lo, column: 0), b: b,
                              c: c + lo * ldc, ldc: ldc, accumulate: accumulate, kernel: kernel)
            } else {
                blockedSerial(m: m, n: hi - lo, k: k, a: a, b: b.offset(row: 0, column: lo),
                              c: c + lo, ldc: ldc, accumulate: accumulate, kernel: kernel)
            }
        }
    }

    private static func blockedSerial<T: GEMMScalar>(
        m: Int, n: Int, k: Int, a: StridedMatrix<T>, b: StridedMatrix<T>,
        c: UnsafeMutablePointer<T>, ldc: Int, accumulate: Bool, kernel: GEMMKernel<T>
    ) {
        let (mr, nr) = (kernel.mr, kernel.nr)
        let kc = min(kernel.kc, k)
        let mc = min(kernel.mc, roundUp(m, to: mr))
        let nc = min(kernel.nc, roundUp(n, to: nr))
        let packedA = allocateAligned(T.self, count: mc * kc)
        let packedB = allocateAligned(T.self, count: kc * nc)
        let edgeTile = allocateAligned(T.self, count: mr * nr)
        defer {
            UnsafeMutableRawPointer(packedA).deallocate()
            UnsafeMutableRawPointer(packedB).deallocate()
            UnsafeMutableRawPointer(edgeTile).deallocate()
        }
        for jc in stride(from: 0, to: n, by: nc) {
            let nb = min(nc, n - jc)
            for pc in stride(from: 0, to: k, by: kc) {
                let kb = min(kc, k - pc)
                // Columns of op(B) become the panels' lanes.
                pack(b.offset(row: pc, column: jc).base, laneStride: b.colStride, depthStride: b.rowStride,
                     lanes: nb, depth: kb, width: nr, into: packedB)
                // Later k blocks add to what the first one wrote.
                let add = accumulate || pc > 0
                for ic in stride(from: 0, to: m, by: mc) {
                    let mb = min(mc, m - ic)
                    pack(a.offset(row: ic, column: pc).base, laneStride: a.rowStride, depthStride: a.colStride,
                         lanes: mb, depth: kb, width: mr, into: packedA)
                    for jr in stride(from: 0, to: nb, by: nr) {
                        for ir in stride(from: 0, to: mb, by: mr) {
                            let tile = c + (ic + ir) * ldc + jc + jr
                            let rows = min(mr, mb - ir), cols = min(nr, nb - jr)
                            if rows == mr && cols == nr {
                                kernel.run(kb, packedA + ir * kb, packedB + jr * kb, tile, ldc, add)
                            } else {
                                // Ragged edge: compute the full tile aside, keep the part inside C.
                                kernel.run(kb, packedA + ir * kb, packedB + jr * kb, edgeTile, nr, false)
                                for i in 0..<rows {
                                    for j in 0..<cols {
                                        let value = edgeTile[i * nr + j]
                                        tile[i * ldc + j] = add ? tile[i * ldc + j] + value : value
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Copies `lanes` rows of A (or columns of B) over `depth` into panels `width` lanes wide, laid out
    /// depth-major, and zero-pads the last panel so the micro-kernel never reads outside the matrix.
    private static func pack<T: GEMMScalar>(
        _ source: UnsafePointer<T>, laneStride: Int, depthStride: Int,
        lanes: Int, depth: Int, width: Int, into destination: UnsafeMutablePointer<T>
    ) {
        var out = destination
        for first in stride(from: 0, to: lanes, by: width) {
            let count = min(width, lanes - first)
            let panel = source + first * laneStride
            for p in 0..<depth {
                let from = panel + p * depthStride
                if laneStride == 1 {
                    out.update(from: from, count: count)
                } else {
                    for lane in 0..<count { out[lane] = from[lane * laneStride] }
                }
                if count < width { (out + count).update(repeating: 0, count: width - count) }
                out += width
            }
        }
    }

    private static func roundUp(_ value: Int, to multiple: Int) -> Int {
        (value + multiple - 1) / multiple * multiple
    }

    /// Cache-line-aligned scratch, so packed panels never straddle lines.
    private static func allocateAligned<T>(_: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<T>.stride, alignment: 64)
            .bindMemory(to: T.self, capacity: count)
    }
}
