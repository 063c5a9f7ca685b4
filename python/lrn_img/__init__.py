"""lrn_img: Local Response Normalization, exactly as TensorFlow's
tf.nn.local_response_normalization computes it, on NumPy arrays and image files (the lrn-img
engine, in process: no subprocess, no temporary files).

    lrn(array, *, radius, size, bias, alpha, beta, convention, preset, layout, threads, out)
    normalize(array, *, method='lcn', ...)  every method of `lrn-img --method`, same keywords
    process_file(src, dst, **options)    what `lrn-img SRC DST [options]` does
    describe_params(**params)            what `lrn-img --print-params` prints, as a dict

The functions are plain Python functions over the compiled _lrn_img, so they pickle by name
and can be sent to Dask or multiprocessing workers (client.map(lrn_img.process_file, ...)).
Errors: ValueError for a bad argument (.parameter names the keyword), TypeError for an
unsupported type, FileError (an OSError, .filename) for anything about a file, LimitExceeded (a
FileError) for a file over max_pixels, max_npy_bytes or max_row_bytes.
"""
from . import _lrn_img

__version__ = _lrn_img.__version__
FileError = _lrn_img.FileError            # an OSError: .filename
LimitExceeded = _lrn_img.LimitExceeded    # a FileError: .limit, .value, .maximum
__all__ = ["lrn", "normalize", "process_file", "describe_params", "FileError", "LimitExceeded", "__version__"]


def lrn(array, **options):
    return _lrn_img.lrn(array, **options)


def normalize(array, **options):
    return _lrn_img.normalize(array, **options)


def process_file(src, dst, **options):
    return _lrn_img.process_file(src, dst, **options)


def describe_params(**params):
    return _lrn_img.describe_params(**params)


lrn.__doc__ = _lrn_img.lrn.__doc__
normalize.__doc__ = _lrn_img.normalize.__doc__
process_file.__doc__ = _lrn_img.process_file.__doc__
describe_params.__doc__ = _lrn_img.describe_params.__doc__
