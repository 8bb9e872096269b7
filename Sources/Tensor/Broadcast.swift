/// How two shapes broadcast against each other, NumPy style.
///
/// Shapes are aligned at their trailing axes; a missing or extent-1 axis repeats to match the other.
/// The plan walks the output as rows of its last axis: for row `r` it yields the offsets of the first
/// element in the output and both operands, and each operand's stride along the last axis (1 or 0).
struct BroadcastPlan {
    /// The broadcast result shape.
    let outputShape: [Int]
    /// Per output axis, the stride of operand A (0 where A repeats).
    let leftStrides: [Int]
    /// Per output axis, the stride of operand B (0 where B repeats).
    let rightStrides: [Int]

    /// Builds the plan, or fails with a message when the shapes are incompatible.
    init(_ left: [Int], _ right: [Int]) {
        let rank = max(left.count, right.count)
        let paddedLeft = [Int](repeating: 1, count: rank - left.count) + left
        let paddedRight = [Int](repeating: 1, count: rank - right.count) + right
        var output = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            let (l, r) = (paddedLeft[axis], paddedRight[axis])
            precondition(l == r || l == 1 || r == 1, "cannot broadcast shapes \(left) and \(right)")
            output[axis] = l == 1 ? r : l
        }
        outputShape = output
        leftStrides = BroadcastPlan.strides(of: paddedLeft, against: output)
        rightStrides = BroadcastPlan.strides(of: paddedRight, against: output)
    }

    /// Row-major strides of `shape`, with 0 on axes that broadcast to a larger output extent.
    static func strides(of shape: [Int], against output: [Int]) -> [Int] {
        var strides = [Int](repeating: 0, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = (shape[axis] == 1 && output[axis] != 1) ? 0 : running
            running *= shape[axis]
        }
        return strides
    }

    /// The number of output elements.
    var outputCount: Int { Tensor.elementCount(of: outputShape) }

    /// Calls `body(outputOffset, leftOffset, rightOffset, rowLength, leftStride, rightStride)` once per
    /// output row (the last axis), in row-major order.
    @inline(__always)
    func forEachRow(_ body: (Int, Int, Int, Int, Int, Int) -> Void) {
        let rank = outputShape.count
        if rank == 0 {
            body(0, 0, 0, 1, 0, 0)
            return
        }
        let rowLength = outputShape[rank - 1]
        let leftInner = leftStrides[rank - 1]
        let rightInner = rightStrides[rank - 1]
        let rowCount = rowLength == 0 ? 0 : outputCount / rowLength
        var index = [Int](repeating: 0, count: rank)
        var leftOffset = 0
        var rightOffset = 0
        for row in 0..<rowCount {
            body(row * rowLength, leftOffset, rightOffset, rowLength, leftInner, rightInner)
            // Advance the odometer over the leading axes.
            var axis = rank - 2
            while axis >= 0 {
                index[axis] += 1
                leftOffset += leftStrides[axis]
                rightOffset += rightStrides[axis]
                if index[axis] < outputShape[axis] { break }
                leftOffset -= leftStrides[axis] * index[axis]
                rightOffset -= rightStrides[axis] * index[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }
}
