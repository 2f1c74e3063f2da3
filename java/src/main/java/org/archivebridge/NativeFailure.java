package org.archivebridge;

/**
 * What every exception the native client raises adds to the Aeron exception kind it is: the native library's own
 * code, which tells apart failures that the Aeron kinds fold together (no driver, version mismatch, protocol errors).
 */
public interface NativeFailure
{
    /**
     * @return the abr_error_code_t value of the failure.
     */
    int nativeCode();
}
