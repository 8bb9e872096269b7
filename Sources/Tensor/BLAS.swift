import CBLAS

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one door to OpenBLAS: every matrix product in kgfuse goes through here.
///
/// Matrices are row-major Float32. `gemm` computes C = alpha·op(A)·op(B) + beta·C with
/// op(A) of shape [m, k], op(B) of shape [k, n] and C of shape [m, n].
public enum BLAS {
    /// Single-precision general matrix product, row-major (cblas_sgemm).
    ///
    /// - Parameters: `lda`, `ldb`, `ldc` are the row strides of A, B and C as stored (before transposition).
    ///
    /// Products of at least ``parallelThreshold`` multiply-adds are cut along the longer of m and n into one
    /// part per ``threadCount`` thread, each a single-threaded `cblas_sgemm` on ``WorkerPool/shared``. Every
    /// element of C is still one call's dot product over all of k, so the result does not depend on the thread
    /// count.
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
             b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, on: Self.pool)
    }

    /// `gemm` with its parts on the given pool instead of ``WorkerPool/shared``.
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, on pool: WorkerPool
    ) {
        _ = Self.pool
        guard pool.size > 1, m * n * k >= parallelThreshold, !pool.isBusy, max(m, n) >= 2 * partAlignment else {
            return serialGemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                              a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
        // Rows of C come from rows of op(A); columns of C from columns of op(B).
        let splitRows = m >= n
        let length = splitRows ? m : n
        let parts = min(pool.size, length / partAlignment)
        let perPart = (length / parts + partAlignment - 1) / partAlignment * partAlignment
        pool.forEach(parts) { part, _ in
            let start = min(length, part * perPart)
            let count = part == parts - 1 ? length - start : min(perPart, length - start)
            guard count > 0 else { return }
            if splitRows {
                // op(A) rows start..<start+count: A [m, k] row-major, or Aᵀ stored [k, m] (columns of the store).
                let partA = a + (transposeA ? start : start * lda)
                serialGemm(transposeA: transposeA, transposeB: transposeB, m: count, n: n, k: k, alpha: alpha,
                           a: partA, lda: lda, b: b, ldb: ldb, beta: beta, c: c + start * ldc, ldc: ldc)
            } else {
                // op(B) columns start..<start+count: B [k, n] row-major, or Bᵀ stored [n, k] (rows of the store).
                let partB = b + (transposeB ? start * ldb : start)
                serialGemm(transposeA: transposeA, transposeB: transposeB, m: m, n: count, k: k, alpha: alpha,
                           a: a, lda: lda, b: partB, ldb: ldb, beta: beta, c: c + start, ldc: ldc)
            }
        }
    }

    /// Multiply-adds (m·n·k) from which `gemm` shares a product among threads (OpenBLAS's own threshold,
    /// 65,536 × GEMM_MULTITHREAD_THRESHOLD 4).
    public static let parallelThreshold = 1 << 18

    /// Parts of a shared product start at multiples of this many rows or columns (the kernel's unroll).
    static let partAlignment = 16

    /// One `cblas_sgemm` on the calling thread (OpenBLAS is kept single-threaded; see ``setThreadCount(_:)``).
    static func serialGemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// The worker pool, reached first through here so that OpenBLAS is single-threaded before any product.
    static let pool: WorkerPool = {
        openblas_set_num_threads(1)
        return WorkerPool.shared
    }()

    /// Matrix-vector product y = alpha·op(A)·x + beta·y with A row-major [m, n] (cblas_sgemv).
    @inlinable
    public static func gemv(
        transposeA: Bool, m: Int, n: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, beta: Float = 0, y: UnsafeMutablePointer<Float>
    ) {
        cblas_sgemv(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
    }

    /// y += alpha·x over `count` elements (cblas_saxpy).
    @inlinable
    public static func axpy(count: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        cblas_saxpy(Int32(count), alpha, x, 1, y, 1)
    }

    /// Dot product of two vectors of `count` elements (cblas_sdot).
    @inlinable
    public static func dot(count: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        cblas_sdot(Int32(count), x, 1, y, 1)
    }

    /// Strided batched product: for i in 0..<batchCount, Cᵢ = alpha·op(Aᵢ)·op(Bᵢ) + beta·Cᵢ, where
    /// Aᵢ = a + i·strideA, Bᵢ = b + i·strideB, Cᵢ = c + i·strideC (a stride of 0 reuses one matrix; with
    /// strideC = 0 and beta = 1 the products add up). A loop over `gemm`, since Debian's OpenBLAS 0.3.21
    /// has no sgemm_batch.
    @inlinable
    public static func gemmBatched(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, batchCount: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, strideA: Int,
        b: UnsafePointer<Float>, ldb: Int, strideB: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int, strideC: Int
    ) {
        for index in 0..<batchCount {
            gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                 a: a + index * strideA, lda: lda, b: b + index * strideB, ldb: ldb,
                 beta: beta, c: c + index * strideC, ldc: ldc)
        }
    }

    /// The number of threads kgfuse's products and parallel loops use (``WorkerPool/shared``'s size).
    public static var threadCount: Int { pool.size }

    /// Sets the number of threads kgfuse's products and loops use (tests and CI use 1). OpenBLAS itself stays
    /// single-threaded: its idle threads spin after each threaded call and would compete with the pool.
    public static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(1)
        pool.resize(count)
    }
}


/// OpenBLAS's own packing routines and single-precision micro-kernel for the CPU it detected at start-up,
/// looked up by name (`sgemm_kernel_ZEN`, `sgemm_itcopy_HASWELL`, ...: the per-core symbols a DYNAMIC_ARCH
/// build such as Debian's exports). They let a weight be packed once and reused by every product, where
/// `cblas_sgemm` re-packs it on every call.
///
/// Column-major conventions, as in OpenBLAS's level-3 driver: the kernel computes C[m, n] += alpha·A[m, k]·B[k, n]
/// from A packed by `itcopy` (A stored column-major, lda) or `incopy` (A stored transposed) and B packed by
/// `oncopy` (B stored column-major, ldb); C is column-major with leading dimension ldc. nil when the library has
/// no such symbols (another OpenBLAS build or another BLAS): callers then use `gemm`.
struct OpenBLASKernels: @unchecked Sendable {
    // @unchecked Sendable: C function pointers into a loaded library, immutable after lookup.
    typealias Copy = @convention(c) (Int, Int, UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>) -> Int32
    typealias Kernel = @convention(c) (
        Int, Int, Int, Float, UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int
    ) -> Int32

    /// Packs A[m, k] stored column-major: `copyA(k, m, a, lda, buffer)`.
    let copyA: Copy
    /// Packs A[m, k] stored row-major (Aᵀ column-major): `copyATransposed(k, m, a, lda, buffer)`.
    let copyATransposed: Copy
    /// Packs B[k, n] stored column-major: `copyB(k, n, b, ldb, buffer)`.
    let copyB: Copy
    /// C += alpha·A·B on packed operands: `kernel(m, n, k, alpha, packedA, packedB, c, ldc)`.
    let kernel: Kernel
    /// The core name OpenBLAS reports (e.g. "Zen").
    let coreName: String

    /// The kernels of the running core, or nil (also when KGFUSE_PACKED_GEMM=0 is set).
    static let current: OpenBLASKernels? = {
        if let setting = getenv("KGFUSE_PACKED_GEMM"), String(cString: setting) == "0" { return nil }
        guard let namePointer = openblas_get_corename() else { return nil }
        let core = String(cString: namePointer)
        let suffix = core.uppercased()
        guard !suffix.isEmpty, let handle = dlopen(nil, RTLD_NOW) else { return nil }
        func symbol(_ name: String) -> UnsafeMutableRawPointer? { dlsym(handle, name + "_" + suffix) }
        guard let itcopy = symbol("sgemm_itcopy"), let incopy = symbol("sgemm_incopy"),
              let oncopy = symbol("sgemm_oncopy"), let kernel = symbol("sgemm_kernel")
        else { return nil }
        return OpenBLASKernels(
            copyA: unsafeBitCast(itcopy, to: Copy.self), copyATransposed: unsafeBitCast(incopy, to: Copy.self),
            copyB: unsafeBitCast(oncopy, to: Copy.self), kernel: unsafeBitCast(kernel, to: Kernel.self),
            coreName: core)
    }()
}
