"""A runwatch run's rows as a TensorBoard event file, for bench/tensorboard_bench.js.

    bench/.tensorboard-venv/bin/python bench/tensorboard_store.py RUN_FOLDER LOGDIR

Runs in the bench's own TensorBoard venv (TensorBoard is no project dependency).
Every channel of RUN_FOLDER (`stats.<name>.0.npr`, as bench/big_store.py wrote it)
becomes a scalar tag with one point per row (`g08.a` becomes `g08/a`: TensorBoard
groups cards by the prefix before a `/` as runwatch groups plots by the prefix
before a `.`, so both show 20 groups of 3): step = row index,
wall_time = the row's `_time`, value = the row's value as float32 (`total / count`
for the mean kinds, else the row's one value field; percent kinds stay fractions).
So the planted spike is in the event file exactly as in the run.

The events are what TensorFlow 2's `tf.summary.scalar` and TensorBoard's own
TF-free `tensorboard.summary.Writer` write: a DT_FLOAT tensor summary, its
scalars metadata on a tag's first event only, written step-major (every tag at
step 0, then every tag at step 1, ...) as a training loop does. The first event
of each tag is built with `tensorboard.summary.Writer`'s own code path
(`Writer.add_scalar` takes ~170 µs a point on this machine: 6 M points would take
17 minutes); the rest are that proto with its metadata dropped
and its step, time and value patched in numpy, framed as TFRecords with a
vectorised masked CRC32C (checked against TensorBoard's own `masked_crc32c`).

Idempotent: LOGDIR/.source.json records the run folder, its files' sizes and the
event file's size; when they match, nothing is written.
"""

from __future__ import annotations

import ast
import json
import os
import struct
import sys
import time

import numpy as np
from tensorboard.compat.proto import event_pb2, summary_pb2
from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import masked_crc32c
from tensorboard.plugins.scalar import metadata as scalars_metadata
from tensorboard.util import tensor_util

VERSION = 2  # bump when the written events change
VALUE_SENTINEL = np.float32(-1234.5)


def crc32c_table() -> np.ndarray:
    table = np.zeros(256, dtype=np.uint32)
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table[byte] = crc
    return table


CRC_TABLE = crc32c_table()


def masked_crc32c_rows(rows: np.ndarray) -> np.ndarray:
    """TFRecord's masked CRC32C of each row of a (n, length) uint8 array, one byte column at a time."""
    crc = np.full(rows.shape[0], 0xFFFFFFFF, dtype=np.uint32)
    for column in range(rows.shape[1]):
        crc = CRC_TABLE[(crc ^ rows[:, column]) & 0xFF] ^ (crc >> np.uint32(8))
    crc ^= np.uint32(0xFFFFFFFF)
    return ((crc >> np.uint32(15)) | (crc << np.uint32(17))) + np.uint32(0xA282EAD8)


def record(data: bytes) -> bytes:
    header = struct.pack("<Q", len(data))
    return (
        header
        + struct.pack("<I", masked_crc32c(header))
        + data
        + struct.pack("<I", masked_crc32c(data))
    )


def scalar_event(tag: str, value: float, step: int, wall_time: float, metadata: bool) -> bytes:
    """One point as `tensorboard.summary._output.DirectoryOutput.emit_scalar` builds it."""
    event = event_pb2.Event(wall_time=wall_time, step=step)
    value_proto = event.summary.value.add(
        tag=tag, tensor=tensor_util.make_tensor_proto(np.float32(value))
    )
    if metadata:
        value_proto.metadata.CopyFrom(
            summary_pb2.SummaryMetadata(
                plugin_data=summary_pb2.SummaryMetadata.PluginData(
                    plugin_name=scalars_metadata.PLUGIN_NAME
                ),
                data_class=summary_pb2.DataClass.DATA_CLASS_SCALAR,
            )
        )
    return event.SerializeToString()


def read_npr(path: str) -> np.ndarray:
    """A channel's rows (the .npr layout is an .npy file that grows)."""
    with open(path, "rb") as file:
        version = np.lib.format.read_magic(file)
        if version == (1, 0):
            _, _, dtype = np.lib.format.read_array_header_1_0(file)
        elif version == (2, 0):
            _, _, dtype = np.lib.format.read_array_header_2_0(file)
        else:  # 3.0: a 2.0 header in UTF-8 (field names μ, σ)
            (length,) = struct.unpack("<I", file.read(4))
            dtype = np.dtype(ast.literal_eval(file.read(length).decode("utf-8"))["descr"])
        return np.fromfile(file, dtype=dtype)


def row_values(rows: np.ndarray) -> np.ndarray:
    names = rows.dtype.names
    if "total" in names and "count" in names:
        return (rows["total"] / np.maximum(rows["count"], 1)).astype(np.float32)
    return rows[names[1]].astype(np.float32)


def channels_of(folder: str) -> dict[str, np.ndarray]:
    """Each channel's rows by its tag."""
    out = {}
    for name in sorted(os.listdir(folder)):
        if name.startswith("stats.") and name.endswith(".0.npr"):
            channel = name[len("stats.") : -len(".0.npr")]
            out[channel.replace(".", "/", 1)] = read_npr(os.path.join(folder, name))
    return out


def encode_varint(value: int) -> bytes:
    out = bytearray()
    while value > 0x7F:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def varint_bands(rows: int) -> list[tuple[int, int, int]]:
    """(first step, end step, varint bytes) covering steps 1 to rows - 1: one record length per band."""
    bands = []
    lo = 1
    for size in range(1, 10):
        hi = min(rows, 1 << (7 * size))
        if lo < hi:
            bands.append((lo, hi, size))
        lo = max(lo, hi)
    return bands


def patched_events(tag: str, rows: np.ndarray, lo: int, hi: int, size: int) -> np.ndarray:
    """Points `lo` to `hi - 1` of one tag (steps whose varint is `size` bytes) as a
    (hi - lo, record length) uint8 array of whole TFRecords."""
    sentinel = 1 << (7 * (size - 1))  # the smallest step of that varint length
    template = scalar_event(tag, VALUE_SENTINEL, sentinel, 1.0, metadata=False)
    at_wall = template.index(struct.pack("<d", 1.0))
    at_step = template.index(b"\x10" + encode_varint(sentinel)) + 1
    at_value = template.index(struct.pack("<f", VALUE_SENTINEL))
    count = hi - lo
    data = np.tile(np.frombuffer(template, dtype=np.uint8), (count, 1))
    steps = np.arange(lo, hi, dtype=np.uint64)
    for index in range(size):
        byte = ((steps >> np.uint64(7 * index)) & np.uint64(0x7F)).astype(np.uint8)
        data[:, at_step + index] = byte | (0x80 if index < size - 1 else 0)
    wall = rows["_time"][lo:hi].astype("datetime64[ns]").astype(np.int64) / 1e9
    data[:, at_wall : at_wall + 8] = wall.astype("<f8").view(np.uint8).reshape(count, 8)
    values = row_values(rows[lo:hi]).astype("<f4")
    data[:, at_value : at_value + 4] = values.view(np.uint8).reshape(count, 4)
    length = len(template)
    header = struct.pack("<Q", length)
    records = np.empty((count, 12 + length + 4), dtype=np.uint8)
    records[:, :8] = np.frombuffer(header, dtype=np.uint8)
    records[:, 8:12] = np.frombuffer(struct.pack("<I", masked_crc32c(header)), dtype=np.uint8)
    records[:, 12 : 12 + length] = data
    crcs = masked_crc32c_rows(data).astype("<u4")
    records[:, 12 + length :] = crcs.view(np.uint8).reshape(count, 4)
    return records


def check_records(records: np.ndarray, tag: str, rows: np.ndarray, lo: int) -> None:
    """A few records against TensorBoard's own CRC, its protos, and what protobuf writes."""
    for index in (0, len(records) // 2, len(records) - 1):
        raw = records[index].tobytes()
        (length,) = struct.unpack("<Q", raw[:8])
        data = raw[12 : 12 + length]
        if struct.unpack("<I", raw[12 + length :])[0] != masked_crc32c(data):
            raise AssertionError(f"{tag}: bad CRC in record {index}")
        event = event_pb2.Event.FromString(data)
        step = lo + index
        expected = row_values(rows[step : step + 1])[0]
        value = event.summary.value[0]
        if (
            event.step != step
            or value.tag != tag
            or tensor_util.make_ndarray(value.tensor) != expected
        ):
            raise AssertionError(f"{tag}: record {index} reads {event}")
        wall = float(rows["_time"][step].astype("datetime64[ns]").astype(np.int64)) / 1e9
        if data != scalar_event(tag, expected, step, wall, metadata=False):
            raise AssertionError(f"{tag}: record {index} is not what protobuf writes")


def write(folder: str, logdir: str) -> str:
    channels = channels_of(folder)
    tags = list(channels)
    lengths = {len(rows) for rows in channels.values()}
    if len(lengths) != 1:
        raise ValueError(f"{folder}: channels of different lengths ({sorted(lengths)})")
    os.makedirs(logdir, exist_ok=True)
    path = os.path.join(logdir, f"events.out.tfevents.{int(time.time())}.runwatch-bench")
    with open(path, "wb") as file:
        file.write(
            record(
                event_pb2.Event(
                    wall_time=time.time(),
                    file_version="brain.Event:2",
                    source_metadata=event_pb2.SourceMetadata(
                        writer="tensorboard.summary.writer.event_file_writer"
                    ),
                ).SerializeToString()
            )
        )
        for tag in tags:  # step 0, with each tag's metadata
            rows = channels[tag]
            wall = float(rows["_time"][0].astype("datetime64[ns]").astype(np.int64)) / 1e9
            file.write(record(scalar_event(tag, row_values(rows[:1])[0], 0, wall, metadata=True)))
        # Step-major, as a training loop writes: every tag at step 1, then 2, ...
        for lo, hi, size in varint_bands(lengths.pop()):
            per_tag = []
            for tag in tags:
                records = patched_events(tag, channels[tag], lo, hi, size)
                check_records(records, tag, channels[tag], lo)
                per_tag.append(records)
            if len({records.shape[1] for records in per_tag}) == 1:
                file.write(np.stack(per_tag, axis=1).tobytes())
            else:  # tags of different name lengths: records of different lengths
                file.writelines(
                    b"".join(records[step].tobytes() for records in per_tag)
                    for step in range(hi - lo)
                )
    return path


def source_of(folder: str) -> dict:
    names = sorted(name for name in os.listdir(folder) if name.endswith(".npr"))
    return {
        "version": VERSION,
        "folder": os.path.abspath(folder),
        "files": {name: os.path.getsize(os.path.join(folder, name)) for name in names},
    }


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    folder, logdir = sys.argv[1:]
    marker = os.path.join(logdir, ".source.json")
    source = source_of(folder)
    try:
        with open(marker) as file:
            written = json.load(file)
        if written["source"] == source and os.path.getsize(written["events"]) == written["size"]:
            print(f"tensorboard_store: reused {written['events']}", file=sys.stderr)
            print(json.dumps(written))
            return
    except (OSError, ValueError, KeyError):
        pass
    if os.path.isdir(logdir):
        for name in os.listdir(logdir):
            if name.startswith("events.out.tfevents."):
                os.remove(os.path.join(logdir, name))
    started = time.perf_counter()
    path = write(folder, logdir)
    written = {"source": source, "events": path, "size": os.path.getsize(path)}
    with open(marker + ".tmp", "w") as file:
        json.dump(written, file)
    os.replace(marker + ".tmp", marker)
    seconds = time.perf_counter() - started
    print(
        f"tensorboard_store: wrote {path}, {written['size'] / 1e6:.0f} MB, in {seconds:.1f} s",
        file=sys.stderr,
    )
    print(json.dumps(written))


if __name__ == "__main__":
    main()
