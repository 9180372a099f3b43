"""The training code is one importable package: every module imports, the module-level imports
between its modules form no cycle (a circular import can pass or fail depending on which
module is imported first, so the graph is checked as well), and nothing reaches for sys.path
to find its neighbours."""
import ast
import importlib
import os
import pkgutil
import unittest

import train

ROOT = os.path.dirname(os.path.abspath(train.__file__))


def modules():
    return sorted(m.name for m in pkgutil.walk_packages(train.__path__, 'train.'))


def module_level_imports(name):
    """train.* modules that `name` imports at module level (not inside functions)."""
    path = importlib.util.find_spec(name).origin
    with open(path, encoding='utf-8') as f:
        tree = ast.parse(f.read())
    out = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith('train'):
            for a in node.names:  # `from train.x import y` may name a module y or an attribute of x
                out.add(f'{node.module}.{a.name}' if f'{node.module}.{a.name}' in ALL else node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith('train'))
    return out & ALL - {name}


ALL = set(modules()) | {'train'}


class PackageTest(unittest.TestCase):
    def test_every_module_imports(self):
        names = modules()
        for sub in ('common', 'progan', 'degrader', 'low2high', 'degradation', 'progressive_sr', 'heatmaps'):
            self.assertIn(f'train.{sub}', names)
        for name in names:
            with self.subTest(module=name):
                importlib.import_module(name)

    def test_no_import_cycles(self):
        graph = {m: module_level_imports(m) for m in ALL - {'train'}}
        state, cycles = {}, []

        def visit(m, stack):
            state[m] = 'open'
            for n in sorted(graph.get(m, ())):
                if state.get(n) == 'open':
                    cycles.append(stack[stack.index(n):] + [n])
                elif n not in state:
                    visit(n, stack + [n])
            state[m] = 'done'

        for m in sorted(graph):
            if m not in state:
                visit(m, [m])
        self.assertEqual(cycles, [])

    def test_no_sys_path_manipulation(self):
        needle = 'sys.path' + '.insert'  # spelled in two parts so this file does not match itself
        hits = []
        for d, _, files in os.walk(ROOT):
            for f in files:
                if f.endswith('.py'):
                    with open(os.path.join(d, f), encoding='utf-8') as fh:
                        hits += [f'{os.path.relpath(os.path.join(d, f), ROOT)}:{i}' for i, line in enumerate(fh, 1)
                                 if needle in line]
        self.assertEqual(hits, [])


if __name__ == '__main__':
    unittest.main()
