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
    @inlinable
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

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

    /// The number of threads OpenBLAS uses.
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
    }

    /// Sets the number of threads OpenBLAS uses (tests and CI use 1).
    public static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
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
