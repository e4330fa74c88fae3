import Tessera
import TesseraReport

extension ProfileRun {
    /// The terminal summary.
    public func summaryText(outlierListLimit: Int = 10) -> String {
        var s = ""
        s += "rows        \(rows)\n"
        s += "channels    \(channels.count): \(channels.joined(separator: ", "))\n"
        s += "transform   \(Self.describe(transform))\n"
        s += "reference   \(referenceName) [\(reference.map { formatNumber($0) }.joined(separator: ", "))]\n"
        s += "metric      \(metric.rawValue)\n"
        s += "distance    mean \(formatNumber(summary.mean))  std \(formatNumber(summary.std))  "
            + "min \(formatNumber(summary.min))  max \(formatNumber(summary.max))\n"
        if !summary.percentiles.isEmpty {
            s += "percentiles " + summary.percentiles.map { "p\(formatNumber($0.percent)) \(formatNumber($0.value))" }
                .joined(separator: "  ") + "\n"
        }
        if let outliers, let rule = outlierRule {
            let ruleText: String
            switch rule {
            case .percentile(let p): ruleText = "above p\(formatNumber(p)) = \(formatNumber(outliers.threshold))"
            case .mad(let z): ruleText = "MAD z-score > \(formatNumber(z)) (median \(formatNumber(outliers.median ?? .nan)), MAD \(formatNumber(outliers.mad ?? .nan)))"
            }
            s += "outliers    \(outliers.indices.count) \(ruleText)\n"
            let shown = min(outliers.indices.count, outlierListLimit)
            for i in 0..<shown { s += "  row \(outliers.indices[i])  distance \(formatNumber(outliers.distances[i]))\n" }
            if outliers.indices.count > shown { s += "  … \(outliers.indices.count - shown) more\n" }
        }
        if let nearest {
            s += "nearest     " + zip(nearest.names, nearest.counts).map { "\($0) \($1)" }.joined(separator: ", ") + "\n"
        }
        if let km = kMeans {
            s += "k-means     k \(km.sizes.count)  inertia \(formatNumber(km.inertia))  iterations \(km.iterations)"
                + (km.converged ? "" : " (not converged)") + "\n"
            s += "  sizes     " + km.sizes.map(String.init).joined(separator: ", ") + "\n"
        }
        return s
    }

    static func describe(_ t: ProfileTransform) -> String {
        switch t {
        case .identity: return "none"
        case .asinh(let c): return "asinh:\(formatNumber(c))"
        case .log1p: return "log1p"
        case .zScore: return "zscore"
        }
    }

    /// The whole summary as JSON.
    public func json() -> String {
        func num(_ v: Double) -> String { v.isFinite ? "\(v)" : "null" }
        func str(_ v: String) -> String { jsonString(v) }
        var fields: [String] = []
        fields.append("\"rows\": \(rows)")
        fields.append("\"channels\": [\(channels.map(str).joined(separator: ", "))]")
        fields.append("\"transform\": \(str(Self.describe(transform)))")
        fields.append("\"reference\": {\"kind\": \(str(referenceName)), \"values\": [\(reference.map(num).joined(separator: ", "))]}")
        fields.append("\"metric\": \(str(metric.rawValue))")
        fields.append("\"summary\": {\"count\": \(summary.count), \"mean\": \(num(summary.mean)), \"std\": \(num(summary.std)), "
            + "\"min\": \(num(summary.min)), \"max\": \(num(summary.max)), \"percentiles\": ["
            + summary.percentiles.map { "{\"percent\": \(num($0.percent)), \"value\": \(num($0.value))}" }.joined(separator: ", ")
            + "]}")
        if let outliers, let rule = outlierRule {
            let ruleText: String
            switch rule {
            case .percentile(let p): ruleText = "\"rule\": \"percentile\", \"percent\": \(num(p))"
            case .mad(let z): ruleText = "\"rule\": \"mad\", \"z\": \(num(z)), \"median\": \(num(outliers.median ?? .nan)), \"mad\": \(num(outliers.mad ?? .nan))"
            }
            fields.append("\"outliers\": {\(ruleText), \"threshold\": \(num(outliers.threshold)), \"count\": \(outliers.indices.count), "
                + "\"rows\": [\(zip(outliers.indices, outliers.distances).map { "{\"row\": \($0), \"distance\": \(num($1))}" }.joined(separator: ", "))]}")
        }
        if let km = kMeans {
            fields.append("\"kmeans\": {\"k\": \(km.sizes.count), \"inertia\": \(num(km.inertia)), \"iterations\": \(km.iterations), "
                + "\"converged\": \(km.converged), \"sizes\": [\(km.sizes.map(String.init).joined(separator: ", "))]}")
        }
        return "{\n  " + fields.joined(separator: ",\n  ") + "\n}\n"
    }

    /// Writes `--out`: a `.npy` of the distances, or a CSV `row,distance[,profile][,cluster],outlier`
    /// with one line per row; atomically, a block of rows at a time.
    ///
    /// - Throws: `.io` naming `path` when it cannot be written.
    public func writeDistances(to path: String) throws(TesseraError) {
        if path.lowercased().hasSuffix(".npy") { return try distances.save(npy: path) }
        let clusters = kMeans.map { $0.assignments.scalars(as: Int64.self) }
        let outlierRows = outliers?.indices ?? []
        var nextOutlier = 0
        var header = "row,distance"
        if nearest != nil { header += ",profile" }
        if clusters != nil { header += ",cluster" }
        let file = try AtomicFile.Writer(path)
        var offset = 0
        func emit(_ text: String) throws(TesseraError) {
            var text = text
            let count = text.utf8.count
            try text.withUTF8 { raw in Result { () throws(TesseraError) in try file.write(UnsafeRawBufferPointer(raw), at: offset) } }.get()
            offset += count
        }
        try emit(header + ",outlier\n")
        let isFloat32 = distances.dtype == .float32
        let blockRows = 1 << 18
        try distances.forEachBlock(rows: blockRows) { start, block throws(TesseraError) in
            let d = block.toArray()
            let profiles = try nearest.map { (n) throws(TesseraError) in
                try n.assignments.read(rows: start..<start + d.count).scalars(as: Int64.self)
            }
            var text = ""
            text.reserveCapacity(d.count * 24)
            for i in d.indices {
                let row = start + i
                text += String(row)
                text += ","
                text += d[i].isNaN ? "nan" : (isFloat32 ? Float(d[i]).description : d[i].description)
                if let profiles, let nearest { text += ","; text += csvField(nearest.names[Int(profiles[i])]) }
                if let clusters { text += ","; text += String(clusters[row]) }
                let flagged = nextOutlier < outlierRows.count && outlierRows[nextOutlier] == row
                if flagged { nextOutlier += 1 }
                text += flagged ? ",1\n" : ",0\n"
            }
            try emit(text)
        }
        try file.commit()
    }
}
