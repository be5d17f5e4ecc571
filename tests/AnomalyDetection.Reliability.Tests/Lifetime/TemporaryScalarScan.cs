using System.Reflection;
using Mono.Cecil;
using Mono.Cecil.Cil;
using TorchSharp;

namespace AnomalyDetection.Reliability.Tests.Lifetime;

/// <summary>
/// Finds, in compiled code, the calls that hand LibTorch a <see cref="Scalar"/> nothing keeps alive (see
/// <c>HeldScalars</c>): an implicit number-to-Scalar conversion at the call site, a TorchSharp method that makes such a
/// temporary inside (found by following TorchSharp's own IL, lambdas included), and the construction of a TorchSharp
/// type whose overridden methods do (<c>nn.LeakyReLU</c>'s forward, <c>Adam</c>'s step), which a call through the base
/// class would hide. An explicit <c>ToScalar()</c> stored in a variable or field counts as held: library code writes it
/// as a <c>using</c> variable or a field, which stay alive until disposed.
/// </summary>
internal sealed class TemporaryScalarScan
{
    private readonly HashSet<string> _passesTemporary = new(StringComparer.Ordinal);
    private readonly HashSet<string> _typesPassingTemporary = new(StringComparer.Ordinal);

    public TemporaryScalarScan()
    {
        var engine = ModuleDefinition.ReadModule(typeof(Scalar).Assembly.Location);
        var methods = engine.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody).ToList();
        var callees = methods.ToDictionary(m => m, m => m.Body.Instructions.Select(i => i.Operand).OfType<MethodReference>().Select(Key).ToList());
        foreach (var method in methods.Where(m => !MakesScalar(m) && callees[m].Any(IsScalarMakerKey)))
        {
            _passesTemporary.Add(Key(method));
        }

        // A method that calls (or makes a delegate of) one that passes a temporary passes it too.
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var method in methods.Where(m => !MakesScalar(m) && !_passesTemporary.Contains(Key(m))))
            {
                if (callees[method].Any(_passesTemporary.Contains))
                {
                    grew |= _passesTemporary.Add(Key(method));
                }
            }
        }

        foreach (var type in engine.GetTypes())
        {
            for (var t = type; t is not null; t = BaseInEngine(t))
            {
                if (t.Methods.Any(m => m.IsVirtual && _passesTemporary.Contains(Key(m))))
                {
                    _typesPassingTemporary.Add(type.FullName);
                    break;
                }
            }
        }
    }

    /// <summary>Every call in <paramref name="assembly"/> that passes LibTorch a scalar nothing keeps alive, as
    /// "file:line (method) → what".</summary>
    public IReadOnlyList<string> Findings(Assembly assembly)
    {
        var pdb = Path.ChangeExtension(assembly.Location, ".pdb");
        var module = ModuleDefinition.ReadModule(assembly.Location, new ReaderParameters { ReadSymbols = File.Exists(pdb) });
        var findings = new List<string>();
        foreach (var method in module.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody))
        {
            foreach (var instruction in method.Body.Instructions)
            {
                if (instruction.Operand is MethodReference callee && Describe(callee, instruction) is { } problem)
                {
                    findings.Add($"{Where(method, instruction)} ({method.DeclaringType.Name}.{method.Name}) → {problem}");
                }
            }
        }

        return findings;
    }

    private string? Describe(MethodReference callee, Instruction call)
    {
        if (!callee.DeclaringType.Scope.Name.StartsWith("TorchSharp", StringComparison.Ordinal))
        {
            return null;
        }

        var name = $"{callee.DeclaringType.Name}.{callee.Name}({string.Join(", ", callee.Parameters.Select(p => p.ParameterType.Name))})";
        if (IsImplicitScalarKey(Key(callee)))
        {
            return $"{name}: an implicit conversion makes a temporary scalar";
        }

        if (IsScalarMakerKey(Key(callee)))
        {
            return IsStore(call.Next) ? null : $"{name} makes a scalar that is passed on without being held";
        }

        if (_passesTemporary.Contains(Key(callee)))
        {
            return $"{name} passes a temporary scalar inside";
        }

        var made = callee.Name == ".ctor" ? callee.DeclaringType : callee.ReturnType;
        return _typesPassingTemporary.Contains(made.GetElementType().FullName)
            ? $"{name} builds TorchSharp's {made.Name}, whose overridden methods pass temporary scalars"
            : null;
    }

    private static string Where(MethodDefinition method, Instruction instruction)
    {
        // The nearest sequence point at or before the call names its source line.
        var point = method.Body.Instructions
            .Where(i => i.Offset <= instruction.Offset)
            .Select(method.DebugInformation.GetSequencePoint)
            .LastOrDefault(p => p is not null && !p.IsHidden);
        return point is null ? method.FullName : $"{Path.GetFileName(point.Document.Url)}:{point.StartLine}";
    }

    private static TypeDefinition? BaseInEngine(TypeDefinition type) =>
        type.BaseType is { } b && b.Scope.Name.StartsWith("TorchSharp", StringComparison.Ordinal) ? b.Resolve() : null;

    private static bool MakesScalar(MethodDefinition method) => method.ReturnType.FullName == typeof(Scalar).FullName;

    private static bool IsStore(Instruction? next) =>
        next?.OpCode.Code is Code.Stloc or Code.Stloc_S or Code.Stloc_0 or Code.Stloc_1 or Code.Stloc_2 or Code.Stloc_3 or Code.Stfld or Code.Stsfld;

    private static bool IsScalarMakerKey(string key) =>
        IsImplicitScalarKey(key)
        || key.StartsWith("TorchSharp.Scalar TorchSharp.ScalarExtensionMethods::To", StringComparison.Ordinal);

    private static bool IsImplicitScalarKey(string key) =>
        key.StartsWith("TorchSharp.Scalar TorchSharp.Scalar::op_Implicit(", StringComparison.Ordinal)
        || key.StartsWith("System.Void TorchSharp.Scalar::.ctor(", StringComparison.Ordinal);

    // Calls name a method by its reference; a generic instance is keyed by its definition.
    private static string Key(MethodReference method) => method.GetElementMethod().FullName;
}
