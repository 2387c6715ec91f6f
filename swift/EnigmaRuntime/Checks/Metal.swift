// A type-checking stand-in for Apple's Metal module, so that Linux can at
// least type-check MetalDevice.swift (Checks/typecheck-metal.sh): each
// declaration below transcribes the Swift signature Apple documents for the
// API the Metal device uses (developer.apple.com/documentation/metal), with
// empty bodies. It proves the Swift is well-typed against those signatures; it
// cannot prove Metal's behaviour, which the macOS workflow tests.
// Never built into the library (SwiftPM only reads Sources/ and Tests/).
import Foundation
import Dispatch
public typealias AutoreleasingUnsafeMutablePointer<T> = UnsafeMutablePointer<T>
public typealias CFTimeInterval = Double
public struct MTLSize { public var width: Int; public var height: Int; public var depth: Int
  public init(width: Int, height: Int, depth: Int) { self.width = width; self.height = height; self.depth = depth } }
public enum MTLDataType: UInt { case float, half, bfloat, char, short, int, long, uchar, ushort, uint, ulong, bool }
public enum MTLGPUFamily: Int { case apple1, apple2, apple3, apple4, apple5, apple6, apple7, apple8, apple9, mac2 }
public enum MTLBindingType: Int { case buffer, threadgroupMemory, texture }
public protocol MTLBinding: NSObjectProtocol { var index: Int { get }; var type: MTLBindingType { get }; var isUsed: Bool { get } }
open class MTLComputePipelineReflection: NSObject { open var bindings: [any MTLBinding] { [] } }
public typealias MTLAutoreleasedComputePipelineReflection = MTLComputePipelineReflection
public struct MTLPipelineOption: OptionSet { public let rawValue: UInt; public init(rawValue: UInt) { self.rawValue = rawValue }
  public static let bindingInfo = MTLPipelineOption(rawValue: 1) }
public struct MTLResourceOptions: OptionSet { public let rawValue: UInt; public init(rawValue: UInt) { self.rawValue = rawValue }
  public static let storageModeShared: MTLResourceOptions = [] }
public enum MTLLanguageVersion: UInt { case version3_0 = 196608, version3_1 = 196609, version3_2 = 196610 }
public enum MTLMathMode: Int { case safe, relaxed, fast }
public enum MTLMathFloatingPointFunctions: Int { case fast, precise }
open class MTLCompileOptions: NSObject { public override init() {}
  open var languageVersion: MTLLanguageVersion = .version3_2; open var fastMathEnabled: Bool = true
  open var mathMode: MTLMathMode = .fast; open var mathFloatingPointFunctions: MTLMathFloatingPointFunctions = .fast }
open class MTLFunctionConstantValues: NSObject { public override init() {}
  open func setConstantValue(_ value: UnsafeRawPointer, type: MTLDataType, index: Int) {} }
public protocol MTLFunction: NSObjectProtocol {}
public protocol MTLLibrary: NSObjectProtocol { var functionNames: [String] { get }
  func makeFunction(name: String) -> MTLFunction?
  func makeFunction(name: String, constantValues: MTLFunctionConstantValues) throws -> MTLFunction }
public protocol MTLComputePipelineState: NSObjectProtocol { var maxTotalThreadsPerThreadgroup: Int { get }
  var threadExecutionWidth: Int { get }; var staticThreadgroupMemoryLength: Int { get } }
public protocol MTLBuffer: NSObjectProtocol { func contents() -> UnsafeMutableRawPointer; var length: Int { get } }
public enum MTLCommandBufferStatus: UInt { case notEnqueued, enqueued, committed, scheduled, completed, error }
public protocol MTLComputeCommandEncoder: NSObjectProtocol {
  func setComputePipelineState(_ state: MTLComputePipelineState)
  func setBuffer(_ buffer: MTLBuffer?, offset: Int, index: Int)
  func setBytes(_ bytes: UnsafeRawPointer, length: Int, index: Int)
  func dispatchThreads(_ threadsPerGrid: MTLSize, threadsPerThreadgroup: MTLSize)
  func endEncoding() }
public protocol MTLCommandBuffer: NSObjectProtocol { func makeComputeCommandEncoder() -> MTLComputeCommandEncoder?
  func commit(); func waitUntilCompleted(); var status: MTLCommandBufferStatus { get }; var error: Error? { get }
  var gpuStartTime: CFTimeInterval { get }; var gpuEndTime: CFTimeInterval { get } }
public protocol MTLCommandQueue: NSObjectProtocol { func makeCommandBuffer() -> MTLCommandBuffer? }
public protocol MTLDevice: NSObjectProtocol { var name: String { get }; var maxThreadsPerThreadgroup: MTLSize { get }
  var maxThreadgroupMemoryLength: Int { get }; var hasUnifiedMemory: Bool { get }; var maxBufferLength: Int { get }
  func supportsFamily(_ gpuFamily: MTLGPUFamily) -> Bool
  func makeCommandQueue() -> MTLCommandQueue?
  func makeLibrary(URL url: URL) throws -> MTLLibrary
  func makeLibrary(source: String, options: MTLCompileOptions?) throws -> MTLLibrary
  func makeComputePipelineState(function computeFunction: MTLFunction, options: MTLPipelineOption, reflection: AutoreleasingUnsafeMutablePointer<MTLAutoreleasedComputePipelineReflection?>?) throws -> MTLComputePipelineState
  func makeBuffer(length: Int, options: MTLResourceOptions) -> MTLBuffer?
  func makeBuffer(bytesNoCopy pointer: UnsafeMutableRawPointer, length: Int, options: MTLResourceOptions, deallocator: ((UnsafeMutableRawPointer, Int) -> Void)?) -> MTLBuffer? }
extension MTLDevice { public func makeLibrary(data: DispatchData) throws -> MTLLibrary { fatalError() } }
public func MTLCreateSystemDefaultDevice() -> MTLDevice? { nil }
public func autoreleasepool<Result>(invoking body: () throws -> Result) rethrows -> Result { try body() }
