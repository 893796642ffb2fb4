"""The machine and the disk: where things are, writes that never leave half a file, the device.

    paths     a checkout's root, the shipped zoo, the user zoo, docs/
    atomic    write a file whole or not at all
    hardware  the device ("auto"), the fastest precision the CPU has, denormals flushed
"""
