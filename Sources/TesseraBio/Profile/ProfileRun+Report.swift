extension ProfileRun {
    /// What the HTML report shows, from this run (computed with ``ProfileOptions/reportDetails``).
    ///
    /// - Parameters:
    ///   - file: The input file, as the user named it.
    ///   - generator: The "written by" line, e.g. `tessera 0.1.0 (commit abc123)`.
    ///   - outlierRowLimit: The most outlier rows listed.
    public func reportData(file: String, generator: String? = nil, outlierRowLimit: Int = 100) -> ProfileReportData {
        var outlierList: ProfileReportData.OutlierList?
        if let outliers, let rule = outlierRule {
            let text: String
            switch rule {
            case .percentile(let p): text = "above p\(formatNumber(p)) = \(formatNumber(outliers.threshold))"
            case .mad(let z): text = "MAD z-score > \(formatNumber(z)) (median \(formatNumber(outliers.median ?? .nan)), MAD \(formatNumber(outliers.mad ?? .nan)))"
            }
            let shown = min(outliers.indices.count, outlierRowLimit)
            outlierList = ProfileReportData.OutlierList(
                rule: text, threshold: outliers.threshold, total: outliers.indices.count,
                rows: (0..<shown).map { (row: outliers.indices[$0], distance: outliers.distances[$0]) })
        }
        return ProfileReportData(
            file: file, format: format, rows: rows, channels: channels, transform: Self.describe(transform),
            metric: metric.rawValue, referenceName: referenceName, reference: reference, generator: generator,
            summary: summary, histogram: histogram ?? Histogram(edges: [0, 1], counts: [0]), outliers: outlierList,
            channelMeans: channelMeans.map { ProfileReportData.ChannelMeans(outliers: $0.outliers, rest: $0.rest) },
            clusters: kMeans.map { ProfileReportData.Clusters(sizes: $0.sizes, inertia: $0.inertia, iterations: $0.iterations, converged: $0.converged) },
            nearestProfiles: nearest.map { ProfileReportData.NearestProfiles(names: $0.names, counts: $0.counts) })
    }
}
