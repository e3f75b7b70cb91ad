"""A stored file opened for sending: streamed from its storage, never loaded whole first."""


def stream_open(fieldfile):
    """A binary file object to read the stored file from, chunk by chunk; FileNotFoundError if it is
    not there. A local file is opened; an object in a bucket (django-storages' S3File, which would
    download the whole object into a spool before the first byte) is read from the response body."""
    handle = fieldfile.storage.open(fieldfile.name, "rb")
    obj = getattr(handle, "obj", None)  # S3File: opening it already checked that the object exists
    if obj is None:
        return handle
    handle.close()
    return obj.get()["Body"]
