"""Reads a .keras (zip) or .h5 file with Python's zipfile and h5py (a real HDF5 client outside
deepwell) and prints what it finds as JSON: zip entries, config keys, every group and dataset path
with attributes, shapes, dtypes and values. Used by test/io/h5py_client.test.ts."""
import io
import json
import sys
import zipfile

import h5py
import numpy as np


def attr_value(v):
    if isinstance(v, bytes):
        return v.decode()
    if isinstance(v, np.ndarray):
        return [x.decode() if isinstance(x, bytes) else (x.item() if hasattr(x, "item") else x) for x in v.tolist()] if v.size else []
    if hasattr(v, "item"):
        return v.item()
    return v


def walk(f):
    out = {"groups": {}, "datasets": {}}

    def visit(name, obj):
        attrs = {k: attr_value(obj.attrs[k]) for k in obj.attrs}
        if isinstance(obj, h5py.Dataset):
            arr = obj[()]
            out["datasets"][name] = {
                "shape": list(obj.shape),
                "dtype": obj.dtype.str,
                "values": np.asarray(arr).ravel().tolist(),
                "attrs": attrs,
            }
        else:
            out["groups"][name] = {"attrs": attrs, "keys": list(obj.keys())}

    out["root_attrs"] = {k: attr_value(f.attrs[k]) for k in f.attrs}
    out["root_keys"] = list(f.keys())
    f.visititems(visit)
    return out


def main(path):
    result = {}
    if path.endswith(".keras"):
        with zipfile.ZipFile(path) as zf:
            result["entries"] = [i.filename for i in zf.infolist()]
            result["compress_types"] = [i.compress_type for i in zf.infolist()]
            config = json.loads(zf.read("config.json"))
            result["config_keys"] = list(config.keys())
            result["metadata"] = json.loads(zf.read("metadata.json"))
            h5 = h5py.File(io.BytesIO(zf.read("model.weights.h5")), "r")
    else:
        h5 = h5py.File(path, "r")
        if "model_config" in h5.attrs:
            result["config_keys"] = list(json.loads(attr_value(h5.attrs["model_config"])).keys())
    result["h5"] = walk(h5)
    h5.close()
    print(json.dumps(result))


main(sys.argv[1])
