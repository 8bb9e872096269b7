import Synchronization
import Tensor
import Testing

/// The worker pool's contract (every item once, participant indices in range, nested loops serial) and the
/// products it shares: a product cut across threads equals the single-threaded one up to float rounding (OpenBLAS
/// picks its small-matrix kernel by size, so a part may round differently) and repeats bit for bit.
@Suite("WorkerPool")
struct WorkerPoolTests {
    /// Counters shared by the threads of a loop.
    final class Tally: Sendable {
        let counts: Mutex<[Int]>
        init(_ count: Int) { counts = Mutex([Int](repeating: 0, count: count)) }
        func add(_ value: Int = 1, at index: Int = 0) { counts.withLock { $0[index] += value } }
        var values: [Int] { counts.withLock { $0 } }
    }

    @Test("every item runs exactly once, on a participant index below the pool size", arguments: [1, 2, 3])
    func everyItemOnce(size: Int) {
        let pool = WorkerPool(size: size)
        #expect(pool.size == size)
        for count in [0, 1, 2, 7, 1000] {
            let runs = Tally(count), badParticipant = Tally(1)
            pool.forEach(count) { item, participant in
                runs.add(at: item)
                if participant < 0 || participant >= size { badParticipant.add() }
            }
            #expect(runs.values.allSatisfy { $0 == 1 }, "count \(count), size \(size)")
            #expect(badParticipant.values == [0])
        }
    }

    @Test("a loop started inside a loop runs serially on its own thread and still covers every item")
    func nestedLoop() {
        let pool = WorkerPool(size: 2)
        let total = Tally(1), nestedOffThread = Tally(1)
        pool.forEach(8) { _, _ in
            pool.forEach(5) { item, inner in
                total.add(item + 1)
                if inner != 0 { nestedOffThread.add() }
            }
        }
        #expect(total.values == [8 * 15])
        #expect(nestedOffThread.values == [0])
    }

    @Test("ranges cover 0..<count once, with bounds on the grain")
    func ranges() {
        let pool = WorkerPool(size: 2)
        for (count, chunks, grain) in [(100, 2, 8), (7, 4, 1), (3, 2, 8), (64, 3, 16)] {
            let covered = Tally(count), misaligned = Tally(1)
            pool.forEachRange(count, chunks: chunks, grain: grain) { range, _ in
                if range.lowerBound % grain != 0 { misaligned.add() }
                for index in range { covered.add(at: index) }
            }
            #expect(covered.values.allSatisfy { $0 == 1 }, "count \(count)")
            #expect(misaligned.values == [0])
        }
    }

    /// Shapes above the sharing threshold, split by rows (m ≥ n) and by columns, with every transposition.
    @Test("gemm shared by 2 or 3 threads matches the single-threaded product and repeats exactly",
          arguments: [(300, 70, 40), (50, 333, 60)])
    func sharedProductIsExact(m: Int, n: Int, k: Int) {
        #expect(m * n * k >= BLAS.parallelThreshold)
        var generator = SeededGenerator(seed: 11)
        let a = (0..<(m * k)).map { _ in generator.nextUniform() - 0.5 }
        let b = (0..<(k * n)).map { _ in generator.nextUniform() - 0.5 }
        let c0 = (0..<(m * n)).map { _ in generator.nextUniform() - 0.5 }
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                func product(_ pool: WorkerPool) -> [Float] {
                    var c = c0
                    a.withUnsafeBufferPointer { a in
                        b.withUnsafeBufferPointer { b in
                            c.withUnsafeMutableBufferPointer { c in
                                BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 0.7,
                                          a: a.baseAddress!, lda: transposeA ? m : k,
                                          b: b.baseAddress!, ldb: transposeB ? k : n,
                                          beta: 0.5, c: c.baseAddress!, ldc: n, on: pool)
                            }
                        }
                    }
                    return c
                }
                let serial = product(WorkerPool(size: 1))
                // Reference in Double: C = 0.7·op(A)·op(B) + 0.5·C0.
                var worst = 0.0
                for i in 0..<m {
                    for j in 0..<n {
                        var sum = 0.0
                        for p in 0..<k {
                            let left = transposeA ? a[p * m + i] : a[i * k + p]
                            let right = transposeB ? b[j * k + p] : b[p * n + j]
                            sum += Double(left) * Double(right)
                        }
                        worst = max(worst, abs(0.7 * sum + 0.5 * Double(c0[i * n + j]) - Double(serial[i * n + j])))
                    }
                }
                #expect(worst < 1e-4, "transposeA \(transposeA), transposeB \(transposeB): \(worst)")
                for size in [2, 3] {
                    let pool = WorkerPool(size: size)
                    let shared = product(pool)
                    let difference = zip(shared, serial).map { abs($0 - $1) }.max()!
                    #expect(difference <= 1e-5, "transposeA \(transposeA), transposeB \(transposeB), \(size) threads")
                    let again = product(pool)
                    #expect(again.elementsEqual(shared), "the same thread count gives the same bits")
                }
            }
        }
    }
}
