using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace PromptGen.Generated;

/// <summary>
/// Where generated prompt clients make themselves known to dependency injection without reflection: the generator emits,
/// per <c>[Prompt]</c> interface, a <c>[ModuleInitializer]</c> that calls <see cref="Register{TInterface}"/> with a
/// factory, and <c>services.AddPromptClient&lt;TInterface&gt;()</c> looks the factory up. Public for generated code only;
/// not meant to be used by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PromptClientRegistry
{
    /// <summary>Registers the factory of the generated client of <typeparamref name="TInterface"/> (the last registration wins).</summary>
    /// <typeparam name="TInterface">The <c>[Prompt]</c> interface.</typeparam>
    /// <param name="factory">Creates the client from the service provider (normally <c>sp =&gt; new XClient(sp.GetRequiredService&lt;IBedrockClient&gt;())</c>).</param>
    public static void Register<TInterface>(Func<IServiceProvider, TInterface> factory)
        where TInterface : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        Slot<TInterface>.Factory = factory;
    }

    /// <summary>Whether a generated client of <typeparamref name="TInterface"/> has registered.</summary>
    /// <typeparam name="TInterface">The <c>[Prompt]</c> interface.</typeparam>
    public static bool IsRegistered<TInterface>()
        where TInterface : class => TryGetFactory<TInterface>(out _);

    /// <summary>
    /// Looks up the factory of <typeparamref name="TInterface"/>. When none has registered yet, first runs the module
    /// initializers of the interface's assembly: naming a type as a generic argument does not by itself run them.
    /// </summary>
    /// <typeparam name="TInterface">The <c>[Prompt]</c> interface.</typeparam>
    /// <param name="factory">The factory, when one has registered.</param>
    public static bool TryGetFactory<TInterface>([NotNullWhen(true)] out Func<IServiceProvider, TInterface>? factory)
        where TInterface : class
    {
        factory = Slot<TInterface>.Factory;
        if (factory is null)
        {
            RuntimeHelpers.RunModuleConstructor(typeof(TInterface).Module.ModuleHandle);
            factory = Slot<TInterface>.Factory;
        }

        return factory is not null;
    }

    private static class Slot<T>
        where T : class
    {
        public static volatile Func<IServiceProvider, T>? Factory;
    }
}
