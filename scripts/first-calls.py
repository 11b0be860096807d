#!/usr/bin/env python3
"""Which managed methods of a Native AOT executable run, listed in the order they first run.

Usage: first-calls.py SECONDS EXECUTABLE [ARG...]   (the environment passes through; the list goes to stdout)

Runs EXECUTABLE (its output goes to stderr) under ptrace with a breakpoint (int3) at the start of every method in its
__managedcode section, names from EXECUTABLE.dbg (what `dotnet publish` writes beside it). A
breakpoint is removed at its first hit, so after start-up the program runs at full speed. After
SECONDS the program is killed. Needs Linux x86-64 and permission to ptrace its own child.
"""
import ctypes
import os
import re
import signal
import subprocess
import sys
import threading

PTRACE_TRACEME, PTRACE_CONT, PTRACE_GETREGS, PTRACE_SETREGS, PTRACE_SETOPTIONS = 0, 7, 12, 13, 0x4200
PTRACE_O_TRACECLONE, PTRACE_O_EXITKILL = 0x8, 0x100000
WALL = 0x40000000

libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.restype = ctypes.c_long
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]


class Regs(ctypes.Structure):
    # struct user_regs_struct, x86-64
    _fields_ = [(name, ctypes.c_ulonglong) for name in (
        'r15 r14 r13 r12 rbp rbx r11 r10 r9 r8 rax rcx rdx rsi rdi orig_rax rip cs eflags rsp ss '
        'fs_base gs_base ds es fs gs').split()]


def managed_methods(executable):
    """The method names at each address inside __managedcode, relative to the load base."""
    sections = subprocess.run(['readelf', '-SW', executable], capture_output=True, text=True, check=True).stdout
    found = re.search(r'__managedcode\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)', sections)
    if not found:
        sys.exit(f'{executable} has no __managedcode section: not a Native AOT executable')
    start, size = int(found.group(1), 16), int(found.group(2), 16)
    symbols = subprocess.run(['nm', '--defined-only', executable + '.dbg'], capture_output=True, text=True, check=True).stdout
    methods = {}
    for line in symbols.splitlines():
        address, kind, name = line.split(maxsplit=2)
        address = int(address, 16)
        if kind in 'tT' and start <= address < start + size:
            methods.setdefault(address, []).append(name)  # folded identical bodies share an address
    return methods


def load_base(pid, executable):
    for line in open(f'/proc/{pid}/maps'):
        fields = line.split()
        if len(fields) > 5 and fields[2] == '00000000' and os.path.realpath(fields[5]) == os.path.realpath(executable):
            return int(fields[0].split('-')[0], 16)
    sys.exit(f'{executable} is not mapped in process {pid}')


def main():
    seconds, executable, args = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
    methods = managed_methods(executable)
    pid = os.fork()
    if pid == 0:
        libc.ptrace(PTRACE_TRACEME, 0, None, None)
        os.dup2(2, 1)  # the program's output to stderr: stdout is the list
        os.execv(executable, [executable] + args)
    os.waitpid(pid, 0)  # stopped at exec
    libc.ptrace(PTRACE_SETOPTIONS, pid, None, ctypes.c_void_p(PTRACE_O_TRACECLONE | PTRACE_O_EXITKILL))
    base = load_base(pid, executable)
    memory = os.open(f'/proc/{pid}/mem', os.O_RDWR)
    original = {}
    for address in methods:
        original[base + address] = os.pread(memory, 1, base + address)
        os.pwrite(memory, b'\xcc', base + address)

    first_calls, seen = [], set()
    threading.Timer(seconds, lambda: os.kill(pid, signal.SIGKILL)).start()
    libc.ptrace(PTRACE_CONT, pid, None, None)
    regs = Regs()
    while True:
        try:
            tid, status = os.waitpid(-1, WALL)
        except ChildProcessError:
            break
        if os.WIFEXITED(status) or os.WIFSIGNALED(status):
            if tid == pid:
                break
            continue
        stop, event = os.WSTOPSIG(status), status >> 16
        deliver = 0
        if stop == signal.SIGTRAP and event == 0:
            libc.ptrace(PTRACE_GETREGS, tid, None, ctypes.byref(regs))
            address = regs.rip - 1
            if address in original:
                # Another thread may have hit the same breakpoint before it was removed: rewind it too.
                if address not in seen:
                    seen.add(address)
                    os.pwrite(memory, original[address], address)
                    first_calls.extend(methods[address - base])
                regs.rip = address
                libc.ptrace(PTRACE_SETREGS, tid, None, ctypes.byref(regs))
            else:
                deliver = stop
        elif stop not in (signal.SIGTRAP, signal.SIGSTOP):
            deliver = stop  # the program's own signals (the runtime uses SIGSEGV, SIGRTMIN)
        libc.ptrace(PTRACE_CONT, tid, None, ctypes.c_void_p(deliver))
    print('\n'.join(first_calls))
    print(f'first-calls: {len(first_calls)} of {len(methods)} methods ran', file=sys.stderr)


if __name__ == '__main__':
    main()
