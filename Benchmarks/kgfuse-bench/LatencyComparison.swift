import Foundation
import Tensor

/// Interleaved latency comparison of an in-process kgfuse call with a peer server (`PeerServer`): `rounds`
/// rounds of `runs` kgfuse calls, then `runs` peer calls, after `warmup` untimed kgfuse calls. Reports medians over
/// all timed calls of wall-clock and CPU time (kgfuse: this process's CPU time; the peer: its process's), and the
/// ratios kgfuse / peer.
///
/// Each side starts after `settleMilliseconds` of sleep: both sides' idle threads spin for a while after a call
/// (ONNX Runtime's and PyTorch's intra-op pools by default, kgfuse's `WorkerPool` for 200 µs), so without a pause
/// one side could be timed while the other's threads still spin on the same cores.
struct LatencyComparison {
    var title: String
    var peerName: String
    var rounds: Int
    var runs: Int
    var warmup = 5
    var settleMilliseconds = 200

    /// Per-call samples of one side, milliseconds.
    struct Samples {
        var wall: [Double] = []
        var processor: [Double] = []
    }

    /// Runs the rounds and prints the table and the ratios; returns (kgfuse, peer) samples.
    @discardableResult
    func run(kgfuse body: () throws -> Void, peer: PeerServer) throws -> (kgfuse: Samples, peer: Samples) {
        for _ in 0..<warmup { try body() }
        var ours = Samples()
        var theirs = Samples()
        for _ in 0..<rounds {
            settle()
            for _ in 0..<runs {
                let processorStart = Stopwatch.processorMilliseconds()
                let start = DispatchTime.now().uptimeNanoseconds
                try body()
                ours.wall.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                ours.processor.append(Stopwatch.processorMilliseconds() - processorStart)
            }
            settle()
            let answer = try peer.run(runs)
            theirs.wall += answer.wall
            theirs.processor += answer.processor
        }
        let ourWall = median(ours.wall), ourProcessor = median(ours.processor)
        let peerWall = median(theirs.wall), peerProcessor = median(theirs.processor)
        print(title)
        print("  \(rounds) interleaved rounds of \(runs) calls per side, \(settleMilliseconds) ms pause before each side; "
              + "medians of \(rounds * runs) calls, ms per call")
        print("  side           wall median   wall min   CPU median")
        print(String(format: "  kgfuse        %11.3f %10.3f %12.3f", ourWall, ours.wall.min() ?? 0, ourProcessor))
        print("  " + peerName.padding(toLength: 12, withPad: " ", startingAt: 0)
              + String(format: "  %11.3f %10.3f %12.3f", peerWall, theirs.wall.min() ?? 0, peerProcessor))
        print(String(format: "  ratio kgfuse/%@: wall %.3f×, CPU %.3f×", peerName as NSString, ourWall / peerWall,
                     ourProcessor / peerProcessor))
        return (ours, theirs)
    }

    /// Sleeps `settleMilliseconds`, so that the other side's idle threads have stopped spinning.
    private func settle() {
        if settleMilliseconds > 0 { usleep(UInt32(settleMilliseconds * 1000)) }
    }
}

/// The options every latency subcommand takes: `--threads N --batch B --rounds R --runs K --settle MS --python PATH`.
struct LatencyOptions {
    var threads = 1
    var batch = 1
    var rounds = 10
    var runs = 20
    var settle = 200
    var python = "python3"

    init(arguments: [String], defaultRuns: Int) throws {
        runs = defaultRuns
        var index = 0
        while index < arguments.count {
            let name = arguments[index]
            guard index + 1 < arguments.count else { throw BenchmarkError("option \(name) needs a value") }
            let value = arguments[index + 1]
            switch name {
            case "--threads": threads = try Self.positive(value, name)
            case "--batch": batch = try Self.positive(value, name)
            case "--rounds": rounds = try Self.positive(value, name)
            case "--runs": runs = try Self.positive(value, name)
            case "--settle":
                guard let milliseconds = Int(value), milliseconds >= 0 else {
                    throw BenchmarkError("--settle needs milliseconds (0 or more), not \(value)")
                }
                settle = milliseconds
            case "--python": python = value
            default: throw BenchmarkError("unknown option \(name)")
            }
            index += 2
        }
    }

    private static func positive(_ value: String, _ name: String) throws -> Int {
        guard let number = Int(value), number > 0 else { throw BenchmarkError("\(name) needs a positive integer, not \(value)") }
        return number
    }
}
