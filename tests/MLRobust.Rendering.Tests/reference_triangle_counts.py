"""Independent reference for GltfConformanceTests: triangles drawn by the default scene of each glTF file.

Walks the JSON only (no geometry decoding): for every mesh instance reached from the default scene
(or from every root node when there is no scene), counts triangles from the index or POSITION accessor
count and the primitive mode (4: n/3, 5 and 6: n-2, points and lines: 0). Prints "path<TAB>count".
"""
import json, struct, sys

def load_json(path):
    data = open(path, 'rb').read()
    if data[:4] == b'glTF':
        length, kind = struct.unpack_from('<II', data, 12)
        return json.loads(data[20:20 + length])
    return json.loads(data)

def count(path):
    doc = load_json(path)
    nodes = doc.get('nodes', [])
    meshes = doc.get('meshes', [])
    accessors = doc.get('accessors', [])
    if 'scene' in doc or doc.get('scenes'):
        roots = doc['scenes'][doc.get('scene', 0)].get('nodes', [])
    else:
        children = {c for n in nodes for c in n.get('children', [])}
        roots = [i for i in range(len(nodes)) if i not in children]
    total = 0
    stack = list(roots)
    while stack:
        node = nodes[stack.pop()]
        stack.extend(node.get('children', []))
        if 'mesh' not in node:
            continue
        for prim in meshes[node['mesh']]['primitives']:
            mode = prim.get('mode', 4)
            n = accessors[prim['indices']]['count'] if 'indices' in prim else accessors[prim['attributes']['POSITION']]['count']
            total += n // 3 if mode == 4 else max(0, n - 2) if mode in (5, 6) else 0
    return total

for p in sys.argv[1:]:
    print(f"{p}\t{count(p)}")
