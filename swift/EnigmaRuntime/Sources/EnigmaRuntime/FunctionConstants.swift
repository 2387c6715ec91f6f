// Function-constant values as they cross the C ABI (EnigmaRtConstant) and as
// the devices receive them: a type from the 12 MSL scalar types and the value's
// bit pattern, masked to the type's size. The dtype codes are the ABI's
// (include/enigma_runtime.h); the Metal device maps them to MTLDataType.

import CEnigmaRuntime

/// The type of a function constant; raw values are the ABI's dtype codes.
enum ConstantType: UInt32, CaseIterable {
    case float = 0, half, bfloat, char, short, int, long, uchar, ushort, uint, ulong, bool

    /// The MSL spelling, for messages.
    var name: String {
        switch self {
        case .float: return "float"
        case .half: return "half"
        case .bfloat: return "bfloat"
        case .char: return "char"
        case .short: return "short"
        case .int: return "int"
        case .long: return "long"
        case .uchar: return "uchar"
        case .ushort: return "ushort"
        case .uint: return "uint"
        case .ulong: return "ulong"
        case .bool: return "bool"
        }
    }

    /// Size of a value in bytes.
    var byteSize: Int {
        switch self {
        case .char, .uchar, .bool: return 1
        case .half, .bfloat, .short, .ushort: return 2
        case .float, .int, .uint: return 4
        case .long, .ulong: return 8
        }
    }
}

/// One [[function_constant(index)]] value; `bits` holds only the type's low bytes.
struct FunctionConstant: Equatable {
    let index: Int
    let type: ConstantType
    let bits: UInt64

    init(index: Int, type: ConstantType, bits: UInt64) {
        self.index = index
        self.type = type
        let width = type.byteSize * 8
        self.bits = width == 64 ? bits : bits & ((1 << UInt64(width)) - 1)
    }
}

/// The `count` constants at `pointer`, checked: known dtype codes, bool values
/// 0 or 1, no index given twice.
///
///     var c = EnigmaRtConstant(index: 0, dtype: 9, bits: 128)   // uint 128
///     let parsed = try parseConstants(&c, count: 1)             // [index 0: uint 128]
func parseConstants(_ pointer: UnsafePointer<EnigmaRtConstant>?, count: UInt32) throws
    -> [FunctionConstant]
{
    if count == 0 { return [] }
    guard let pointer else {
        throw RuntimeError("constants is NULL but count is \(count): pass an array of \(count)"
            + " EnigmaRtConstant, or count 0")
    }
    var seen = Set<Int>()
    return try (0..<Int(count)).map { i in
        let raw = pointer[i]
        guard let type = ConstantType(rawValue: raw.dtype) else {
            throw RuntimeError("function constant \(raw.index): unknown dtype code \(raw.dtype)"
                + " (codes 0-11: float half bfloat char short int long uchar ushort uint ulong bool)")
        }
        if type == .bool && (raw.bits & 0xff) > 1 {
            throw RuntimeError("function constant \(raw.index): a bool must be 0 or 1, got"
                + " \(raw.bits & 0xff) in its low byte")
        }
        guard seen.insert(Int(raw.index)).inserted else {
            throw RuntimeError("function constant index \(raw.index) is given twice:"
                + " give each [[function_constant(N)]] one value")
        }
        return FunctionConstant(index: Int(raw.index), type: type, bits: raw.bits)
    }
}
