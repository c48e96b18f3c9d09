# The Debian package (CPack DEB). installer/build-deb.sh builds it, installer/check-deb.sh checks it.
# Included at the end of the top-level CMakeLists.txt. The programs, the examples and the resources
# (desktop entry, AppStream metainfo, icons) are installed by their own CMakeLists.txt; this file
# adds the man pages and the Debian documentation, then describes the package.

set(SHARD_PACKAGE_MAINTAINER "Shard Manager developers <shard-manager@users.noreply.github.com>"
    CACHE STRING "Maintainer field of the Debian package: Name <address>")
set(SHARD_PACKAGE_RELEASE 1 CACHE STRING "Debian revision of the package (0.1.0-<this>)")

# --- Man pages and Debian documentation, compressed the way lintian wants (gzip -9n: no name,
#     no timestamp, so the package is reproducible).
find_program(GZIP_EXECUTABLE gzip REQUIRED)
set(_shard_gz_dir ${CMAKE_BINARY_DIR}/installer)
set(_shard_gz_files "")
foreach(_shard_source IN ITEMS shard-manager.1 shard-demobot.1 changelog)
    set(_shard_gz ${_shard_gz_dir}/${_shard_source}.gz)
    add_custom_command(OUTPUT ${_shard_gz}
        COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_CURRENT_LIST_DIR}/${_shard_source} ${_shard_gz_dir}/${_shard_source}
        COMMAND ${GZIP_EXECUTABLE} -9nf ${_shard_gz_dir}/${_shard_source}
        DEPENDS ${CMAKE_CURRENT_LIST_DIR}/${_shard_source}
        COMMENT "Compressing ${_shard_source}"
        VERBATIM)
    list(APPEND _shard_gz_files ${_shard_gz})
endforeach()
add_custom_target(shard_installer_docs ALL DEPENDS ${_shard_gz_files})

install(FILES ${_shard_gz_dir}/shard-manager.1.gz ${_shard_gz_dir}/shard-demobot.1.gz
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${_shard_gz_dir}/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR}
        RENAME changelog.Debian.gz)
# The systemd user unit (README "Running as a service (systemd)"); its ExecStart names
# /usr/bin/shard-manager, the package's path. /usr/lib/systemd/user, not the library folder.
install(FILES ${CMAKE_CURRENT_LIST_DIR}/shard-manager@.service DESTINATION lib/systemd/user)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
        RENAME shard-manager)

# Stripping (cmake --install --strip, CPACK_STRIP_FILES) also drops the .comment section (the
# compiler's version), as Debian's dh_strip does. Runs after the programs' own install rules.
install(CODE "
    if(CMAKE_INSTALL_DO_STRIP)
        foreach(_program \"$<TARGET_FILE_NAME:shard-manager>\" \"$<TARGET_FILE_NAME:shard-demobot>\")
            execute_process(COMMAND \"${CMAKE_OBJCOPY}\" --remove-section=.comment
                                    \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/\${_program}\"
                            COMMAND_ERROR_IS_FATAL ANY)
        endforeach()
    endif()")

# The changelog names the package version; say so at configure time when it falls behind
# project(VERSION) (check-deb.sh fails on it).
file(STRINGS ${CMAKE_CURRENT_LIST_DIR}/changelog _shard_changelog_top LIMIT_COUNT 1)
if(NOT _shard_changelog_top MATCHES "^shard-manager \\(${PROJECT_VERSION}-${SHARD_PACKAGE_RELEASE}\\) ")
    message(WARNING "installer/changelog does not start with version ${PROJECT_VERSION}-${SHARD_PACKAGE_RELEASE}: "
                    "add an entry for it (and a <release> to the AppStream metainfo)")
endif()

# --- The package.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME shard-manager)
set(CPACK_PACKAGE_VENDOR "The Shard Manager developers")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${SHARD_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY ${PROJECT_DESCRIPTION})
string(CONCAT CPACK_PACKAGE_DESCRIPTION
    "Shard Manager runs a Discord bot as several processes, each owning a range of\n"
    "gateway shards, and lets you watch and steer them from one window: start, stop\n"
    "and restart processes one by one or all together, read each one's output, talk\n"
    "to them over IPC, and keep the bot token in the system keychain.\n"
    "\n"
    "It is the successor of the Lua module discordia-sharder for Discordia (luvit)\n"
    "bots, with the same child command line and options, and works with any\n"
    "interpreter (luvit, node, python3, a binary). Without a display it runs\n"
    "headless, with events as JSON lines for service managers.\n"
    "\n"
    "The package includes shard-demobot, a pretend bot that runs the bundled demo\n"
    "profile without luvit or a Discord account.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${SHARD_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_RELEASE ${SHARD_PACKAGE_RELEASE})
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${PROJECT_HOMEPAGE_URL})
# Libraries the binaries link (Qt, qtkeychain, libstdc++) come from dpkg-shlibdeps. It cannot see
# what is loaded at run time: the xcb platform plugin of the window and libsecret, which
# qtkeychain opens with dlopen() to reach the Secret Service.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins, libsecret-1-0")
# A keychain to keep the token in; KWallet users or servers (--token-from-env) do without.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnome-keyring")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
