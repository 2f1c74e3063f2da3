package org.archivebridge;

import org.archivebridge.binding.ArchiveBridgeLibrary;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ERROR_ARCHIVE_BASE;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ERROR_ARCHIVE_NOT_CONNECTED;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ERROR_ARCHIVE_UNKNOWN_RECORDING;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_OK;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_errcode;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_error_clear;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_error_code_to_archive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeLibraryTest
{
    @Test
    void loadsTheJniLibraryFromTheClassPathWithoutJavaLibraryPath()
    {
        final String path = Loader.load(ArchiveBridgeLibrary.class);

        assertNotNull(path);
        assertTrue(path.contains("jniArchiveBridgeLibrary"), path);
    }

    @Test
    void callsIntoTheStaticLibrary()
    {
        abr_error_clear();

        assertEquals(ABR_OK, abr_errcode());
        assertEquals(ABR_ERROR_ARCHIVE_UNKNOWN_RECORDING - ABR_ERROR_ARCHIVE_BASE,
            abr_error_code_to_archive(ABR_ERROR_ARCHIVE_UNKNOWN_RECORDING));
        assertEquals(-1, abr_error_code_to_archive(ABR_ERROR_ARCHIVE_NOT_CONNECTED));
    }
}
