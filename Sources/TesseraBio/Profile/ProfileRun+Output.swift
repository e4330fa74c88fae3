import Tessera

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
            let shown = Array(outliers.indices.prefix(outlierListLimit))
            if !shown.isEmpty {
                let values = distances.indexSelect(axis: 0, indices: Tensor(shown)).toArray()
                for (row, d) in zip(shown, values) { s += "  row \(row)  distance \(formatNumber(d))\n" }
                if outliers.indices.count > shown.count { s += "  … \(outliers.indices.count - shown.count) more\n" }
            }
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
            let values = outliers.indices.isEmpty ? [] : distances.indexSelect(axis: 0, indices: Tensor(outliers.indices)).toArray()
            fields.append("\"outliers\": {\(ruleText), \"threshold\": \(num(outliers.threshold)), \"count\": \(outliers.indices.count), "
                + "\"rows\": [\(zip(outliers.indices, values).map { "{\"row\": \($0), \"distance\": \(num($1))}" }.joined(separator: ", "))]}")
        }
        if let km = kMeans {
            fields.append("\"kmeans\": {\"k\": \(km.sizes.count), \"inertia\": \(num(km.inertia)), \"iterations\": \(km.iterations), "
                + "\"converged\": \(km.converged), \"sizes\": [\(km.sizes.map(String.init).joined(separator: ", "))]}")
        }
        return "{\n  " + fields.joined(separator: ",\n  ") + "\n}\n"
    }

    /// `--out` as CSV: `row,distance[,cluster],outlier` with one line per row.
    public func csvBytes() -> [UInt8] {
        let d = distances.toArray()
        let clusters = kMeans.map { $0.assignments.scalars(as: Int64.self) }
        var flags = [Bool](repeating: false, count: rows)
        for i in outliers?.indices ?? [] { flags[i] = true }
        var out: [UInt8] = []
        out.reserveCapacity(rows * 24)
        out.append(contentsOf: (clusters == nil ? "row,distance,outlier\n" : "row,distance,cluster,outlier\n").utf8)
        let isFloat32 = distances.dtype == .float32
        for i in 0..<rows {
            var line = String(i)
            line += ","
            line += d[i].isNaN ? "nan" : (isFloat32 ? Float(d[i]).description : d[i].description)
            if let clusters { line += ","; line += String(clusters[i]) }
            line += flags[i] ? ",1\n" : ",0\n"
            out.append(contentsOf: line.utf8)
        }
        return out
    }
}
