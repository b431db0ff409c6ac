package dev.dialplane.members;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

@Configuration(proxyBeanMethods = false)
class MembersConfiguration {

    /**
     * bcrypt, behind Spring Security's delegating encoder ({@code {bcrypt}} prefix): it needs no
     * extra library (Argon2id would need BouncyCastle), and the prefix lets a later release move
     * to Argon2id and upgrade hashes at sign-in. bcrypt reads at most 72 bytes, hence the limit.
     */
    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }
}
