namespace AnomalyDetection.Tensors.Autograd;

/// <summary>Runs reverse-mode differentiation over the recorded graph.</summary>
internal static class BackwardEngine
{
    /// <summary>
    /// Propagates <paramref name="seed"/> from <paramref name="root"/> to every leaf that requires a gradient, adding
    /// into each leaf's <see cref="Tensor.Grad"/>.
    /// </summary>
    public static void Run(Tensor root, Tensor seed, bool createGraph, bool retainGraph) =>
        Run(root, seed, createGraph, retainGraph, capture: null);

    /// <summary>
    /// Computes the gradients of <paramref name="root"/> with respect to <paramref name="targets"/> only, without touching
    /// any leaf's <see cref="Tensor.Grad"/>, and skipping every branch that leads to no target.
    /// </summary>
    public static Tensor[] Gradients(Tensor root, Tensor seed, Tensor[] targets, bool createGraph, bool retainGraph)
    {
        var captured = new Tensor?[targets.Length];
        Run(root, seed, createGraph, retainGraph, (targets, captured));
        for (var i = 0; i < targets.Length; i++)
        {
            captured[i] ??= Tensor.ZerosLike(targets[i]);
        }

        return captured!;
    }

    private static void Run(Tensor root, Tensor seed, bool createGraph, bool retainGraph, (Tensor[] Targets, Tensor?[] Captured)? capture)
    {
        if (root.GradFn is null)
        {
            if (root.RequiresGrad)
            {
                Accumulate(root, seed, createGraph);
                return;
            }

            throw new InvalidOperationException("Backward was called on a tensor that does not require a gradient and has no graph.");
        }

        var order = TopologicalOrder(root.GradFn);
        if (capture is { } c)
        {
            MarkPathsToTargets(order, c.Targets);
            CaptureIfTarget(root, seed, c);
        }

        root.GradFn.PendingGradient = seed;
        using var scope = createGraph ? GradMode.EnableGrad() : GradMode.NoGrad();

        // Gradient storage can be recycled only when no gradient can outlive the pass: a create-graph pass returns
        // differentiable gradients, a retained graph may run again, and captured gradients go back to the caller.
        using var pool = createGraph || retainGraph || capture is not null ? null : TensorBufferPool.Pass.Begin();
        try
        {
            // Order lists every node after all nodes that consume its output, so walking it forwards sees each
            // node's gradient complete.
            foreach (var node in order)
            {
                var grad = node.PendingGradient;
                node.PendingGradient = null;
                if (grad is null)
                {
                    continue;
                }

                var inputs = node.Inputs ?? throw new InvalidOperationException(
                    $"{node.Name}: the graph has already been released by an earlier Backward call; pass retainGraph: true to backward twice.");
                var grads = node.Backward(grad);
                for (var i = 0; i < inputs.Length; i++)
                {
                    var input = inputs[i];
                    var g = grads[i];
                    if (input is null || g is null || !input.RequiresGrad || (node.Needed is { } needed && !needed[i]))
                    {
                        continue;
                    }

                    if (!g.SameShape(input))
                    {
                        throw new InvalidOperationException(
                            $"{node.Name} returned a gradient of shape {ShapeUtil.Format(g.Shape)} for input {i} of shape {ShapeUtil.Format(input.Shape)}.");
                    }

                    if (capture is { } cap)
                    {
                        CaptureIfTarget(input, g, cap);
                    }

                    if (input.GradFn is { } producer)
                    {
                        if (producer.PendingGradient is { } previous)
                        {
                            producer.PendingGradient = Tensor.AddGradients(previous, g);
                            pool?.Drop(previous);
                            pool?.RecycleIfDead(previous);
                        }
                        else
                        {
                            producer.PendingGradient = g;
                        }

                        pool?.Hold(producer.PendingGradient);
                    }
                    else if (capture is null)
                    {
                        Accumulate(input, g, createGraph);
                    }
                }

                if (pool is not null)
                {
                    // The node's gradient and whatever it returned that no pending gradient took are dead now.
                    if (!ReferenceEquals(node, root.GradFn))
                    {
                        pool.Drop(grad);
                    }

                    pool.RecycleIfDead(grad);
                    foreach (var g in grads)
                    {
                        pool.RecycleIfDead(g);
                    }
                }

                if (!retainGraph)
                {
                    node.Release();
                }
            }
        }
        finally
        {
            foreach (var node in order)
            {
                node.PendingGradient = null;
                node.Needed = null;
            }
        }
    }

    private static void CaptureIfTarget(Tensor tensor, Tensor g, (Tensor[] Targets, Tensor?[] Captured) capture)
    {
        for (var t = 0; t < capture.Targets.Length; t++)
        {
            if (ReferenceEquals(capture.Targets[t], tensor))
            {
                var previous = capture.Captured[t];
                capture.Captured[t] = previous is null ? g : Tensor.AddGradients(previous, g);
            }
        }
    }

    /// <summary>Marks, on every node, which inputs lead to a target, so that nodes skip gradients nobody asked for.</summary>
    private static void MarkPathsToTargets(List<GradNode> order, Tensor[] targets)
    {
        var reaches = new HashSet<GradNode>(ReferenceEqualityComparer.Instance);
        var targetSet = new HashSet<Tensor>(targets, ReferenceEqualityComparer.Instance);

        // Producers come after their consumers in the order, so walking it backwards settles inputs first.
        for (var k = order.Count - 1; k >= 0; k--)
        {
            var node = order[k];
            var inputs = node.Inputs ?? [];
            var needed = new bool[inputs.Length];
            var any = false;
            for (var i = 0; i < inputs.Length; i++)
            {
                if (inputs[i] is { } input && (targetSet.Contains(input) || (input.GradFn is { } p && reaches.Contains(p))))
                {
                    needed[i] = true;
                    any = true;
                }
            }

            node.Needed = needed;
            if (any)
            {
                reaches.Add(node);
            }
        }
    }

    private static void Accumulate(Tensor leaf, Tensor g, bool createGraph)
    {
        if (!createGraph)
        {
            g = g.GradFn is null ? g : g.Detach();
        }

        if (leaf.Grad is null)
        {
            // A backward may hand the same tensor to several inputs (addition does), so a leaf owns a copy that later
            // in-place accumulation cannot share with another leaf.
            leaf.Grad = createGraph ? g : g.Clone();
        }
        else
        {
            leaf.Grad = createGraph || leaf.Grad.GradFn is not null ? leaf.Grad + g : Tensor.AddInPlace(leaf.Grad, g);
        }
    }

    /// <summary>
    /// Orders the graph so that each node comes after every node that uses its output (reverse post-order of an
    /// iterative depth-first search, so deep graphs cannot overflow the stack).
    /// </summary>
    internal static List<GradNode> TopologicalOrder(GradNode root)
    {
        var postOrder = new List<GradNode>();
        var visited = new HashSet<GradNode>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(GradNode Node, int NextInput)>();
        stack.Push((root, 0));
        visited.Add(root);
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            var inputs = node.Inputs;
            var pushedChild = false;
            if (inputs is not null)
            {
                for (var i = next; i < inputs.Length; i++)
                {
                    if (inputs[i]?.GradFn is { } child && visited.Add(child))
                    {
                        stack.Push((node, i + 1));
                        stack.Push((child, 0));
                        pushedChild = true;
                        break;
                    }
                }
            }

            if (!pushedChild)
            {
                postOrder.Add(node);
            }
        }

        postOrder.Reverse();
        return postOrder;
    }
}
