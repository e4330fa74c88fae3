import ArgumentParser
import Tessera
import TesseraBench
import TesseraBio

/// `tessera profile`: how far each cell is from a reference profile, and which cells are altered.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Distance of every cell (row) of an FCS, CSV/TSV or .npy file to a reference profile.",
        discussion: """
            Selects channels, transforms them, computes the reference profile and each row's distance to it \
            (one fused pass), then prints the summary: mean, std, min, max, percentiles, outliers and, with \
            --kmeans, cluster sizes and inertia.
            """)

    @Argument(help: ArgumentHelp("An FCS, CSV/TSV or .npy file.", valueName: "file"))
    var file: String

    @Option(help: "The FCS data set (0 = the first; see $NEXTDATA).")
    var dataset = 0

    @Option(help: ArgumentHelp("Channels by name (FCS $PnN or $PnS, CSV header) or column number, comma-separated.", valueName: "a,b,c"))
    var channels: String?

    @Option(help: ArgumentHelp("none, asinh:COFACTOR (5 mass, 150 flow cytometry), log1p or zscore.", valueName: "transform"))
    var transform = "none"

    @Option(help: ArgumentHelp("mean, median, row:N, values:v1,v2,…, sample:NAME (a row name) or file:PATH (a CSV/TSV of named profiles with channel names in its header, or a .npy; several profiles assign each cell to its nearest).", valueName: "reference"))
    var reference = "mean"

    @Option(help: ArgumentHelp("samples-by-features (cells are rows) or features-by-samples (e.g. a genes × samples expression matrix).", valueName: "layout"))
    var orientation = "samples-by-features"

    @Option(help: ArgumentHelp("euclidean, sqeuclidean, cosine or correlation.", valueName: "metric"))
    var metric = "euclidean"

    @Option(help: ArgumentHelp("Percentiles to report, comma-separated.", valueName: "list"))
    var percentiles = "1,5,25,50,75,95,99"

    @Option(help: ArgumentHelp("percentile:P, mad:Z or none.", valueName: "rule"))
    var outliers = "percentile:99"

    @Option(help: ArgumentHelp("Also cluster the (transformed) rows into k groups (k-means++).", valueName: "k"))
    var kmeans: Int?

    @Option(help: "The random stream for k-means seeding.")
    var seed = 0

    @Option(help: ArgumentHelp("Memory the run may use, e.g. 8G (default: half the physical memory); a larger .npy is read in row blocks and distances that do not fit stay on disk.", valueName: "size"))
    var memory: String?

    @Option(help: ArgumentHelp("Read a .npy in blocks of this many rows (a multiple of 65536), whatever its size.", valueName: "rows"))
    var blockRows: Int?

    @Option(help: ArgumentHelp("Directory for distances kept on disk (default: $TMPDIR or /tmp).", valueName: "dir"))
    var scratchDir: String?

    @Option(help: ArgumentHelp("Write the distances: .csv (row, distance[, profile][, cluster], outlier) or .npy (distances).", valueName: "file"))
    var out: String?

    @OptionGroup var json: JSONOption

    @Option(help: ArgumentHelp("Write a self-contained HTML report: histogram with percentile marks, outliers, per-channel means of outliers vs the rest, clusters.", valueName: "file.html"))
    var report: String?

    @OptionGroup var device: DeviceOptions

    @OptionGroup(title: "Sharded runs (what `tessera slurm submit profile … --shards N` runs on each node)")
    var sharding: Sharding

    /// The options of one stage of a sharded run, or of its merge.
    struct Sharding: ParsableArguments {
        @Option(help: ArgumentHelp("The number of shards the rows are split into.", valueName: "n"))
        var shards: Int?

        @Option(help: ArgumentHelp("Run one stage on this shard (0-based): statistics, reference or distances (see --stage).", valueName: "k"))
        var shard: Int?

        @Option(help: ArgumentHelp("The stage to run on --shard: statistics, reference or distances.", valueName: "stage"))
        var stage: String?

        @Flag(help: "Merge every shard's results into the final summary (after the distances stage).")
        var merge = false

        @Option(help: ArgumentHelp("Where the shards' results go (shared by every node).", valueName: "dir"))
        var workDir: String?
    }

    func options() throws -> ProfileOptions {
        do {
            return try ProfileOptions(dataset: dataset, channels: channels, transform: transform, reference: reference,
                                      metric: metric, percentiles: percentiles, outliers: outliers, kMeans: kmeans,
                                      seed: seed, orientation: orientation, blockRows: blockRows, memory: memory)
        } catch {
            throw ValidationErrorExit(message: "\(error)")
        }
    }

    func validate() throws {
        let options = try options()
        if let shards = sharding.shards {
            guard shards >= 1 else { throw ValidationErrorExit(message: "--shards must be at least 1, got \(shards)") }
            guard sharding.workDir != nil else { throw ValidationErrorExit(message: "--shards needs --work-dir (a folder every node can read)") }
            guard (sharding.shard != nil) != sharding.merge else {
                throw ValidationErrorExit(message: "--shards needs either --shard K with --stage, or --merge")
            }
            if sharding.shard != nil {
                guard let stage = sharding.stage, ProfileStage(rawValue: stage) != nil else {
                    throw ValidationErrorExit(message: "--shard needs --stage statistics, reference or distances")
                }
            }
            do { _ = try ProfileShards.stages(for: options) } catch { throw ValidationErrorExit(message: "\(error)") }
        } else if sharding.shard != nil || sharding.merge || sharding.stage != nil {
            throw ValidationErrorExit(message: "--shard, --stage and --merge need --shards N and --work-dir")
        }
        if let out {
            let lower = out.lowercased()
            guard lower.hasSuffix(".csv") || lower.hasSuffix(".npy") else {
                throw ValidationErrorExit(message: "--out \(out): expected a .csv or .npy file name")
            }
        }
        do {
            try requireParentDirectory(out, flag: "out")
            try json.validate()
            try requireParentDirectory(report, flag: "report")
        } catch {
            throw ValidationErrorExit(message: "\(error)")
        }
    }

    func run() throws {
        json.reserveStandardOutput()
        let options = try options()
        let result: ProfileRun
        do {
            var options = options
            options.scratchDirectory = scratchDir
            options.reportDetails = report != nil
            options.device = try device.resolve()
            let line = ProgressLine()
            defer { line.finish() }
            let progress: ((String, Double) -> Void)? = line.enabled ? { label, fraction in
                line.show((label + " ").padding(18) + ProgressLine.bar(fraction, width: 30) + " \(Int(fraction * 100))%")
            } : nil
            if let shards = sharding.shards, let workDir = sharding.workDir {
                if let shard = sharding.shard, let stage = sharding.stage.flatMap(ProfileStage.init(rawValue:)) {
                    let summary = try ProfileShards.run(stage: stage, path: file, options: options, shard: shard, of: shards,
                                                        workDirectory: workDir, progress: progress)
                    print(summary, terminator: "")
                    try json.write(bytes: summary.utf8)
                    return
                }
                result = try ProfileShards.merge(path: file, options: options, shards: shards, workDirectory: workDir,
                                                 progress: progress)
            } else {
                result = try ProfileRun.run(path: file, options: options, progress: progress)
            }
        } catch {
            throw ValidationErrorExit(message: "\(error)")
        }
        print("file        \(file)")
        print(result.summaryText(), terminator: "")
        do {
            if let out {
                try result.writeDistances(to: out)
                print("wrote \(out)")
            }
            try json.write(bytes: result.json().utf8)
            if let report {
                let generator = "tessera \(BuildInfo.version) (\(BuildInfo.commitDescription))"
                try AtomicFile.write(Array(ProfileReport.render(result.reportData(file: file, generator: generator)).utf8), to: report)
                print("wrote \(report)")
            }
        } catch {
            throw ValidationErrorExit(message: "\(error)")
        }
    }
}
