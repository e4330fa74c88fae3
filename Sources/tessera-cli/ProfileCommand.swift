import ArgumentParser
import Tessera
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

    @Option(help: ArgumentHelp("Write the distances: .csv (row, distance, cluster, outlier) or .npy (distances).", valueName: "file"))
    var out: String?

    @Option(help: ArgumentHelp("Write the summary as JSON to this file.", valueName: "file"))
    var json: String?

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
        _ = try options()
        if let out {
            let lower = out.lowercased()
            guard lower.hasSuffix(".csv") || lower.hasSuffix(".npy") else {
                throw ValidationErrorExit(message: "--out \(out): expected a .csv or .npy file name")
            }
        }
        do {
            try requireParentDirectory(out, flag: "out")
            try requireParentDirectory(json, flag: "json")
        } catch {
            throw ValidationErrorExit(message: "\(error)")
        }
    }

    func run() throws {
        let options = try options()
        let result: ProfileRun
        do {
            var options = options
            options.scratchDirectory = scratchDir
            let bar = ProgressBar()
            defer { bar.finish() }
            result = try ProfileRun.run(path: file, options: options, progress: bar.enabled ? bar.update : nil)
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
            if let json {
                try AtomicFile.write(Array(result.json().utf8), to: json)
                print("wrote \(json)")
            }
        } catch {
            throw ValidationErrorExit(message: "\(error)")
        }
    }
}
