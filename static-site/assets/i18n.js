// Labels of both pages, Vietnamese first (the default) and English second.
// Static markup marks its texts with data-i18n="key" (textContent),
// data-i18n-placeholder, data-i18n-title or data-i18n-aria-label; scripts call t().

const STORAGE_KEY = "pakn.lang";
const LANGS = ["vi", "en"];

const DICT = {
  vi: {
    site_name: "Phản ánh kiến nghị",
    site_tagline: "Gửi và theo dõi phản ánh, kiến nghị của người dân",
    staff_site_name: "Phản ánh kiến nghị — Cán bộ xử lý",
    skip_link: "Bỏ qua, đến nội dung chính",
    lang_label: "Ngôn ngữ",
    main_nav: "Điều hướng chính",

    nav_feed: "Phản ánh đã công khai",
    nav_send: "Gửi phản ánh",
    nav_mine: "Phản ánh của tôi",

    sign_in_title: "Đăng nhập",
    staff_sign_in_title: "Đăng nhập cán bộ",
    phone: "Số điện thoại",
    phone_hint: "Ví dụ: +84901234567 hoặc 0901234567",
    username: "Tên đăng nhập",
    password: "Mật khẩu",
    sign_in: "Đăng nhập",
    signing_in: "Đang đăng nhập…",
    sign_out: "Đăng xuất",
    signed_in_as: "Xin chào, {name}",
    signed_in: "Đăng nhập thành công.",
    signed_out: "Đã đăng xuất.",
    need_sign_in: "Vui lòng đăng nhập để tiếp tục.",
    session_expired: "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.",
    welcome_signed_in: "Bạn đã đăng nhập. Bạn có thể gửi phản ánh mới hoặc theo dõi các phản ánh đã gửi.",

    loading: "Đang tải…",
    load_more: "Xem thêm",
    empty_public: "Chưa có phản ánh nào được công khai.",
    empty_mine: "Bạn chưa gửi phản ánh nào.",
    view_detail: "Xem chi tiết",
    feed_title: "Phản ánh đã được xử lý và công khai",

    code: "Mã",
    title: "Tiêu đề",
    content: "Nội dung",
    category: "Lĩnh vực",
    area: "Địa bàn",
    address: "Địa chỉ",
    lat: "Vĩ độ",
    lon: "Kinh độ",
    coordinates: "Tọa độ",
    use_my_location: "Dùng vị trí của tôi",
    locating: "Đang xác định vị trí…",
    located: "Đã điền vị trí hiện tại.",
    geo_unavailable: "Trình duyệt không hỗ trợ định vị.",
    geo_failed: "Không lấy được vị trí: {reason}",
    occurred_at: "Thời điểm xảy ra",
    occurred_at_hint: "Giờ Việt Nam (GMT+7)",
    photos: "Hình ảnh",
    photos_hint: "Có thể chọn nhiều ảnh.",
    choose: "— Chọn —",
    send_title: "Gửi phản ánh mới",
    submit_report: "Gửi phản ánh",
    sending: "Đang gửi…",
    uploading: "Đang tải ảnh lên ({n}/{total})…",
    report_sent: "Đã gửi phản ánh thành công.",
    your_code: "Mã phản ánh của bạn:",
    keep_code: "Hãy lưu lại mã này để tra cứu.",
    view_sent_report: "Xem phản ánh vừa gửi",
    send_another: "Gửi phản ánh khác",
    required: "Trường này là bắt buộc.",
    check_fields: "Vui lòng kiểm tra các trường được đánh dấu.",
    invalid_number: "Giá trị không hợp lệ.",
    lat_range: "Vĩ độ phải nằm trong khoảng -90 đến 90.",
    lon_range: "Kinh độ phải nằm trong khoảng -180 đến 180.",
    mine_title: "Phản ánh của tôi",

    status: "Trạng thái",
    place: "Địa điểm",
    view_map: "Xem trên bản đồ",
    created_at: "Ngày gửi",
    agency: "Cơ quan xử lý",
    attachments: "Hình ảnh đính kèm",
    no_attachments: "Không có ảnh đính kèm.",
    attachment_n: "Tệp đính kèm {n}",
    photo_alt: "Ảnh {n} của phản ánh {code}",
    result: "Kết quả xử lý",
    no_result: "Chưa có kết quả xử lý.",
    published_at: "Công bố lúc",
    timeline: "Quá trình xử lý",
    no_timeline: "Chưa có mốc xử lý nào.",
    internal: "Nội bộ",
    report_detail: "Chi tiết phản ánh",
    back_to_feed: "← Quay lại danh sách công khai",
    back_to_mine: "← Quay lại phản ánh của tôi",
    back_to_list: "← Quay lại danh sách công việc",
    not_found: "Không tìm thấy trang.",

    // follow-up on one's own report: answer a question, rate, reopen, merged
    question_title: "Cơ quan xử lý cần bạn bổ sung thông tin",
    question_asked: "Nội dung cần bổ sung:",
    answer_text: "Thông tin bổ sung của bạn",
    answer_photos: "Ảnh bổ sung",
    answer_photos_hint: "Không bắt buộc. Có thể chọn nhiều ảnh.",
    answer_submit: "Gửi thông tin bổ sung",
    answer_sent: "Đã gửi thông tin bổ sung. Phản ánh tiếp tục được xử lý.",
    rating_title: "Đánh giá kết quả xử lý",
    rating_legend: "Bạn hài lòng với kết quả xử lý ở mức nào?",
    rating_star_1: "1 sao – Rất không hài lòng",
    rating_star_2: "2 sao – Không hài lòng",
    rating_star_3: "3 sao – Tạm chấp nhận",
    rating_star_4: "4 sao – Hài lòng",
    rating_star_5: "5 sao – Rất hài lòng",
    rating_comment: "Nhận xét",
    rating_comment_hint: "Không bắt buộc.",
    rating_submit: "Gửi đánh giá",
    rating_sent: "Cảm ơn bạn đã đánh giá kết quả xử lý.",
    rating_given: "Bạn đã đánh giá kết quả này:",
    rating_value: "{n}/5 sao",
    choose_stars: "Vui lòng chọn số sao.",
    reopen_title: "Yêu cầu xử lý lại",
    reopen_intro: "Nếu kết quả chưa giải quyết được vấn đề, bạn có thể yêu cầu cơ quan xử lý lại trong thời hạn cho phép kể từ khi công khai kết quả.",
    reopen_reason: "Lý do yêu cầu xử lý lại",
    reopen_submit: "Yêu cầu xử lý lại",
    reopen_sent: "Đã gửi yêu cầu xử lý lại. Phản ánh được chuyển lại cho cơ quan xử lý.",
    merged_title: "Phản ánh đã được gộp",
    merged_text: "Phản ánh của bạn trùng với một phản ánh đã gửi trước đó nên được gộp để xử lý chung. Bạn theo dõi kết quả tại phản ánh",

    err_network: "Không kết nối được máy chủ. Vui lòng thử lại.",
    err_config: "Không tải được cấu hình (config.json).",
    err_server: "Máy chủ gặp lỗi ({status}). Vui lòng thử lại.",
    err_upload: "Tải ảnh “{name}” lên thất bại.",
    err_conflict: "Công việc này đã được người khác xử lý.",
    err_field_list: "{field}: {message}",

    tasks_title: "Công việc cần xử lý",
    refresh: "Tải lại",
    step: "Bước xử lý",
    due_at: "Hạn xử lý",
    task_created_at: "Ngày tạo",
    overdue: "Quá hạn",
    empty_tasks: "Không có công việc nào cần xử lý.",
    task: "Công việc",
    decision: "Quyết định",
    choose_decision_legend: "Chọn quyết định",
    note: "Ghi chú",
    submit_decision: "Gửi quyết định",
    decision_saved: "Đã ghi nhận quyết định cho phản ánh {code}.",
    task_not_found: "Không tìm thấy công việc này (có thể đã được xử lý).",
    choose_decision: "Vui lòng chọn quyết định.",
    choose_decision_first: "Chọn một quyết định để xem các trường cần nhập.",
    files_selected: "Đã chọn {n} tệp.",

    // citizen account: sign-up, password reset, my account, consent
    acct_nav: "Tài khoản",
    acct_no_account: "Chưa có tài khoản?",
    acct_signup_link: "Đăng ký tài khoản",
    acct_forgot_link: "Quên mật khẩu?",
    acct_signin_confirm_link: "Nhập mã xác nhận số điện thoại",
    acct_signup_title: "Đăng ký tài khoản",
    acct_signup_intro: "Tài khoản giúp bạn gửi phản ánh và theo dõi kết quả xử lý. Mã xác nhận sẽ được gửi tới số điện thoại của bạn qua SMS.",
    acct_full_name: "Họ và tên",
    acct_password_rules: "Tối thiểu 8 ký tự, có chữ hoa, chữ thường và chữ số.",
    acct_password_short: "Mật khẩu tối thiểu 8 ký tự.",
    acct_privacy_notice: "Thông báo xử lý dữ liệu cá nhân",
    acct_version_word: "phiên bản",
    acct_privacy_data: "Dữ liệu được xử lý: số điện thoại, họ tên; email và địa chỉ nếu bạn cung cấp; nội dung, hình ảnh và vị trí của các phản ánh bạn gửi.",
    acct_privacy_purpose: "Mục đích: tiếp nhận phản ánh, chuyển cơ quan có thẩm quyền xử lý, trả lời bạn và gửi mã xác nhận qua SMS.",
    acct_privacy_public: "Kết quả xử lý được công khai không kèm họ tên, số điện thoại, email hay địa chỉ của bạn.",
    acct_privacy_rights: "Bạn có thể xem, sửa, tải về dữ liệu cá nhân và xóa tài khoản tại trang Tài khoản.",
    acct_consent_accept: "Tôi đã đọc và đồng ý với thông báo xử lý dữ liệu cá nhân nêu trên.",
    acct_consent_needed: "Vui lòng đánh dấu đồng ý với thông báo xử lý dữ liệu cá nhân.",
    acct_signup_submit: "Đăng ký",
    acct_have_account: "Đã có tài khoản?",
    acct_confirm_title: "Xác nhận số điện thoại",
    acct_code: "Mã xác nhận",
    acct_code_sent_to: "Mã xác nhận gồm 6 chữ số đã được gửi qua SMS tới số {phone}. Mã có hiệu lực trong 10 phút.",
    acct_code_format: "Mã xác nhận gồm 6 chữ số.",
    acct_confirm_submit: "Xác nhận",
    acct_resend_code: "Gửi lại mã",
    acct_change_number: "Đổi số điện thoại",
    acct_code_sent: "Đã gửi mã xác nhận.",
    acct_code_resent: "Đã gửi lại mã xác nhận.",
    acct_signed_up: "Đã xác nhận số điện thoại. Tài khoản đã được tạo và bạn đã đăng nhập.",
    acct_confirmed_sign_in: "Đã xác nhận số điện thoại. Vui lòng đăng nhập.",
    acct_staff_challenge: "Tài khoản cán bộ cần đăng nhập tại trang dành cho cán bộ.",
    acct_forgot_title: "Quên mật khẩu",
    acct_forgot_intro: "Nhập số điện thoại đã đăng ký. Chúng tôi sẽ gửi mã xác nhận qua SMS để bạn đặt mật khẩu mới.",
    acct_send_code: "Gửi mã xác nhận",
    acct_reset_sent_to: "Nếu số {phone} đã đăng ký tài khoản, mã xác nhận gồm 6 chữ số đã được gửi tới số này. Mã có hiệu lực trong 10 phút.",
    acct_new_password: "Mật khẩu mới",
    acct_reset_submit: "Đặt lại mật khẩu",
    acct_password_reset: "Đã đặt lại mật khẩu. Vui lòng đăng nhập bằng mật khẩu mới.",
    acct_back_to_sign_in: "← Quay lại đăng nhập",
    acct_title: "Tài khoản của tôi",
    acct_profile_title: "Thông tin cá nhân",
    acct_email: "Email",
    acct_home_address: "Địa chỉ liên hệ",
    acct_optional: "Không bắt buộc.",
    acct_save: "Lưu thay đổi",
    acct_saving: "Đang lưu…",
    acct_profile_saved: "Đã lưu thông tin cá nhân.",
    acct_phone_title: "Đổi số điện thoại",
    acct_phone_intro: "Mã xác nhận sẽ được gửi tới số mới. Sau khi xác nhận, bạn đăng nhập bằng số mới.",
    acct_new_phone: "Số điện thoại mới",
    acct_same_phone: "Đây là số điện thoại hiện tại của bạn.",
    acct_confirm_new_phone: "Xác nhận số mới",
    acct_cancel: "Hủy",
    acct_phone_changed: "Đã đổi số điện thoại. Từ nay bạn đăng nhập bằng số {phone}.",
    acct_password_title: "Đổi mật khẩu",
    acct_current_password: "Mật khẩu hiện tại",
    acct_password_submit: "Đổi mật khẩu",
    acct_password_changed: "Đã đổi mật khẩu. Các phiên đăng nhập khác đã được đăng xuất.",
    acct_wrong_current_password: "Mật khẩu hiện tại không đúng.",
    acct_wrong_password: "Mật khẩu không đúng.",
    acct_data_title: "Dữ liệu cá nhân",
    acct_consent_given: "Bạn đã đồng ý với Thông báo xử lý dữ liệu cá nhân phiên bản {version} lúc {at}.",
    acct_download_intro: "Tải về một tệp JSON gồm thông tin tài khoản, sự đồng ý và các phản ánh bạn đã gửi.",
    acct_download: "Tải dữ liệu cá nhân",
    acct_preparing: "Đang chuẩn bị…",
    acct_data_downloaded: "Đã tải dữ liệu cá nhân về máy.",
    acct_delete_title: "Xóa tài khoản",
    acct_delete_intro: "Tài khoản và thông tin cá nhân của bạn sẽ bị xóa vĩnh viễn, không thể khôi phục. Các phản ánh bạn đã gửi vẫn được lưu giữ và công khai theo quy định nhưng không còn gắn với danh tính của bạn.",
    acct_delete_password: "Nhập mật khẩu để xác nhận",
    acct_delete_confirm: "Tôi hiểu rằng tài khoản sẽ bị xóa vĩnh viễn.",
    acct_delete_confirm_needed: "Vui lòng đánh dấu xác nhận xóa tài khoản.",
    acct_delete_submit: "Xóa tài khoản",
    acct_deleting: "Đang xóa…",
    acct_deleted: "Tài khoản của bạn đã được xóa. Các phản ánh bạn đã gửi vẫn được công khai nhưng không còn gắn với danh tính của bạn.",
    acct_consent_title: "Thông báo xử lý dữ liệu cá nhân đã được cập nhật",
    acct_consent_text: "Thông báo xử lý dữ liệu cá nhân đã có phiên bản mới ({version}). Vui lòng đọc và đồng ý để tiếp tục gửi và theo dõi phản ánh.",
    acct_consent_accept_new: "Tôi đã đọc và đồng ý với thông báo xử lý dữ liệu cá nhân phiên bản mới.",
    acct_consent_submit: "Đồng ý và tiếp tục",
    acct_consent_saved: "Cảm ơn bạn. Sự đồng ý của bạn đã được ghi nhận.",
    acct_too_many: "Bạn thao tác quá nhiều lần, vui lòng thử lại sau.",
    acct_retry_wait: "Thời gian chờ: khoảng {n} phút.",

    dossier_nav: "Tra cứu hồ sơ",
    dossier_title: "Tra cứu hồ sơ thủ tục hành chính",
    dossier_intro: "Nhập mã hồ sơ ghi trên giấy tiếp nhận để xem tình trạng giải quyết tại hệ thống một cửa điện tử của đơn vị.",
    dossier_code: "Mã hồ sơ",
    dossier_code_hint: "Ví dụ: 000.00.24.H34-251203-0001",
    dossier_id_number: "Số CCCD/CMND của người nộp",
    dossier_id_number_hint: "Không bắt buộc; một số đơn vị yêu cầu.",
    dossier_unit: "Đơn vị giải quyết",
    dossier_unit_auto: "Tự xác định theo mã hồ sơ",
    dossier_submit: "Tra cứu",
    dossier_searching: "Đang tra cứu…",
    dossier_status: "Tình trạng",
    dossier_overdue: "Quá hạn",
    dossier_received: "Ngày tiếp nhận",
    dossier_due: "Ngày hẹn trả kết quả",
    dossier_result: "Kết quả",
    dossier_no_result: "Chưa có kết quả.",
    dossier_none: "Không có thông tin",
    service_nav: "Dịch vụ công trực tuyến",
    service_title: "Dịch vụ công trực tuyến",
    service_intro: "Các thủ tục nộp trực tuyến trên cổng dịch vụ công; liên kết mở trong thẻ mới.",
    service_empty: "Chưa có dịch vụ nào.",
    // news (news.html)
    news_nav: "Tin tức",
    news_title: "Tin tức",
    news_page_title: "Tin tức — Phản ánh kiến nghị",
    news_all: "Tất cả",
    news_categories: "Chuyên mục",
    news_empty: "Chưa có tin nào.",
    news_back: "← Quay lại danh sách tin",
    news_article: "Bài viết",
    news_not_found: "Không tìm thấy bài viết.",
    news_cover_alt: "Ảnh minh họa: {title}",
    // emergency alerts (alerts.js banner, staff/alerts.html)
    alert_region: "Cảnh báo khẩn cấp",
    alert_whole_province: "Toàn tỉnh",
    alert_areas: "Khu vực",
    alert_expires: "Hiệu lực đến",
    alert_nav: "Cảnh báo khẩn cấp",
    alert_page_title: "Cảnh báo khẩn cấp — Cán bộ xử lý",
    alert_send_title: "Gửi cảnh báo khẩn cấp",
    alert_intro: "Cảnh báo hiện ngay trên trang của người dân và được gửi đến điện thoại, ứng dụng của người theo dõi khu vực.",
    alert_title: "Tiêu đề",
    alert_body: "Nội dung",
    alert_title_en: "Tiêu đề tiếng Anh",
    alert_body_en: "Nội dung tiếng Anh",
    alert_optional: "Không bắt buộc.",
    alert_severity: "Mức độ",
    alert_sev_extreme: "Đặc biệt nguy hiểm",
    alert_sev_severe: "Nguy hiểm",
    alert_sev_moderate: "Cần chú ý",
    alert_sev_minor: "Thông tin",
    alert_scope: "Phạm vi",
    alert_scope_all: "Toàn tỉnh",
    alert_scope_some: "Một số xã, phường",
    alert_pick_areas: "Xã, phường",
    alert_pick_areas_hint: "Giữ Ctrl (hoặc Cmd) để chọn nhiều xã, phường.",
    alert_hours: "Hiệu lực (số giờ kể từ bây giờ)",
    alert_hours_hint: "Từ 1 đến 168 giờ (7 ngày).",
    alert_hours_range: "Số giờ hiệu lực là số nguyên từ 1 đến 168.",
    alert_submit: "Gửi cảnh báo",
    alert_sending: "Đang gửi…",
    alert_accepted: "Đã tiếp nhận cảnh báo; đang gửi đến người dân.",
    alert_created: "Cảnh báo vừa gửi",
    alert_history: "Các cảnh báo đã gửi",
    alert_history_empty: "Chưa có cảnh báo nào.",
    alert_col_created: "Thời điểm gửi",
    alert_col_alert: "Cảnh báo",
    alert_col_status: "Trạng thái",
    alert_col_devices: "Ứng dụng (gửi / lỗi)",
    alert_col_phones: "SMS (gửi / lỗi)",
    alert_col_batches: "Lượt gửi (xong / tổng)",
    alert_col_actions: "Thao tác",
    alert_status_sending: "Đang gửi",
    alert_status_sent: "Đã gửi xong",
    alert_status_cancelled: "Đã hủy",
    alert_status_expired: "Hết hiệu lực",
    alert_cancel: "Hủy cảnh báo",
    alert_cancel_confirm: "Hủy cảnh báo “{title}”? Cảnh báo sẽ không còn hiện trên trang của người dân.",
    alert_cancelled: "Đã hủy cảnh báo “{title}”.",
    alert_forbidden: "Chỉ cán bộ phát cảnh báo, lãnh đạo tỉnh và quản trị viên được gửi cảnh báo.",

    stats_nav: "Thống kê",
    stats_page_title: "Thống kê — Cán bộ xử lý",
    stats_title: "Thống kê phản ánh",
    stats_intro: "Số liệu tính theo ngày xảy ra sự việc (tiếp nhận, giao xử lý, giải quyết…) trong khoảng thời gian đã chọn. Bấm vào một con số để xem các phản ánh tạo nên nó.",
    stats_filters: "Bộ lọc",
    stats_from: "Từ ngày",
    stats_to: "Đến ngày",
    stats_group: "Nhóm theo",
    stats_group_agency: "Đơn vị",
    stats_group_area: "Xã, phường",
    stats_group_category: "Lĩnh vực",
    stats_group_channel: "Kênh tiếp nhận",
    stats_group_status: "Trạng thái hiện tại",
    stats_group_period: "Thời gian",
    stats_period: "Theo",
    stats_period_day: "Ngày",
    stats_period_month: "Tháng",
    stats_period_quarter: "Quý",
    stats_period_year: "Năm",
    stats_agency: "Đơn vị",
    stats_area: "Xã, phường",
    stats_category: "Lĩnh vực",
    stats_channel: "Kênh tiếp nhận",
    stats_all: "Tất cả",
    stats_channel_web: "Trang web, ứng dụng",
    stats_channel_phone: "Điện thoại",
    stats_channel_paper: "Văn bản giấy",
    stats_channel_email: "Email",
    stats_channel_in_person: "Trực tiếp",
    stats_show: "Xem số liệu",
    stats_download_xlsx: "Tải Excel",
    stats_download_csv: "Tải CSV",
    stats_download_failed: "Không tải được tệp số liệu.",
    stats_own_agency: "Lãnh đạo đơn vị chỉ xem số liệu của đơn vị mình.",
    stats_chart_counts: "Tiếp nhận và đã giải quyết",
    stats_chart_share: "Tỷ lệ giải quyết đúng hạn (%)",
    stats_chart_note: "Biểu đồ minh họa các số liệu trong bảng dưới đây.",
    stats_table_caption: "Số liệu theo {group}, từ {from} đến {to}",
    stats_col_group: "Nhóm",
    stats_col_in_status: "Số phản ánh",
    stats_total: "Tổng cộng",
    stats_empty: "Không có số liệu trong khoảng thời gian này.",
    stats_open_figure: "Xem {n} phản ánh: {measure}, {group}",
    stats_reports_title: "Các phản ánh: {measure} — {group}",
    stats_reports_empty: "Không có phản ánh nào.",
    stats_reports_close: "Đóng danh sách",
    stats_col_code: "Mã",
    stats_col_title: "Tiêu đề",
    stats_col_status: "Trạng thái",
    stats_col_at: "Thời điểm",
    stats_forbidden: "Chỉ bộ phận tiếp nhận, lãnh đạo đơn vị, lãnh đạo tỉnh và quản trị viên được xem thống kê.",
    stats_status_received: "Đã tiếp nhận",
    stats_status_routed: "Đã chuyển đơn vị xử lý",
    stats_status_rejected: "Không được tiếp nhận",
    stats_status_in_progress: "Đang xử lý",
    stats_status_resolved: "Chờ phê duyệt kết quả",
    stats_status_approved: "Đã phê duyệt",
    stats_status_published: "Đã công khai kết quả",
    stats_status_waiting_citizen: "Chờ công dân bổ sung thông tin",
    stats_status_merged: "Đã gộp vào phản ánh khác",
    stats_public_nav: "Minh bạch",
    stats_public_page_title: "Minh bạch kết quả giải quyết — Phản ánh kiến nghị",
    stats_public_title: "Kết quả giải quyết phản ánh của các đơn vị",
    stats_public_intro: "Số phản ánh mỗi đơn vị được giao, đã giải quyết, tỷ lệ đúng hạn, thời gian xử lý trung bình và mức hài lòng của người dân trong năm. Không có thông tin cá nhân.",
    stats_public_year: "Năm",
    stats_public_received: "Tổng số phản ánh tiếp nhận trong năm {year}: {n}",
    stats_public_caption: "Kết quả giải quyết theo đơn vị, năm {year}",
    stats_public_col_agency: "Đơn vị",
    stats_public_col_received: "Được giao xử lý",
    stats_public_col_resolved: "Đã giải quyết",
    stats_public_col_share: "Tỷ lệ đúng hạn",
    stats_public_col_days: "Thời gian xử lý TB (ngày làm việc)",
    stats_public_col_rating: "Mức hài lòng TB (1–5)",
    stats_public_rated: "{n} lượt đánh giá",
    stats_public_chart: "Số phản ánh được giao và đã giải quyết theo đơn vị",
    stats_public_empty: "Chưa có số liệu của năm này.",

    map_label: "Bản đồ chọn vị trí phản ánh",
    map_hint: "Bấm vào bản đồ hoặc kéo ghim để chọn vị trí; với bàn phím: phím mũi tên để di chuyển, +/− để phóng to, Enter để đặt ghim ở giữa. Có thể nhập vĩ độ, kinh độ thay cho bản đồ.",
    map_pin: "Vị trí đã chọn",

    // --- staff tasks ---

    // --- staff admin ---

    // --- send form, drafts, PWA ---

    // --- home feed ---

    // --- accessibility ---

    // --- shared ---
  },
  en: {
    site_name: "Citizen feedback",
    site_tagline: "Send and follow citizens' feedback and petitions",
    staff_site_name: "Citizen feedback — Staff",
    skip_link: "Skip to main content",
    lang_label: "Language",
    main_nav: "Main navigation",

    nav_feed: "Published reports",
    nav_send: "Send a report",
    nav_mine: "My reports",

    sign_in_title: "Sign in",
    staff_sign_in_title: "Staff sign-in",
    phone: "Phone number",
    phone_hint: "E.g. +84901234567 or 0901234567",
    username: "Username",
    password: "Password",
    sign_in: "Sign in",
    signing_in: "Signing in…",
    sign_out: "Sign out",
    signed_in_as: "Hello, {name}",
    signed_in: "Signed in.",
    signed_out: "Signed out.",
    need_sign_in: "Please sign in to continue.",
    session_expired: "Your session has expired. Please sign in again.",
    welcome_signed_in: "You are signed in. You can send a new report or follow the ones you sent.",

    loading: "Loading…",
    load_more: "Load more",
    empty_public: "No published reports yet.",
    empty_mine: "You have not sent any reports yet.",
    view_detail: "View details",
    feed_title: "Handled and published reports",

    code: "Code",
    title: "Title",
    content: "Content",
    category: "Category",
    area: "Area",
    address: "Address",
    lat: "Latitude",
    lon: "Longitude",
    coordinates: "Coordinates",
    use_my_location: "Use my location",
    locating: "Locating…",
    located: "Your current location has been filled in.",
    geo_unavailable: "Geolocation is not available in this browser.",
    geo_failed: "Could not get your location: {reason}",
    occurred_at: "When it happened",
    occurred_at_hint: "Vietnam time (GMT+7)",
    photos: "Photos",
    photos_hint: "You can choose several images.",
    choose: "— Choose —",
    send_title: "Send a new report",
    submit_report: "Send report",
    sending: "Sending…",
    uploading: "Uploading photos ({n}/{total})…",
    report_sent: "Your report has been sent.",
    your_code: "Your report code:",
    keep_code: "Keep this code to look the report up.",
    view_sent_report: "View the report you sent",
    send_another: "Send another report",
    required: "This field is required.",
    check_fields: "Please check the highlighted fields.",
    invalid_number: "Invalid value.",
    lat_range: "Latitude must be between -90 and 90.",
    lon_range: "Longitude must be between -180 and 180.",
    mine_title: "My reports",

    status: "Status",
    place: "Place",
    view_map: "View on map",
    created_at: "Sent on",
    agency: "Handling agency",
    attachments: "Attached photos",
    no_attachments: "No attached photos.",
    attachment_n: "Attachment {n}",
    photo_alt: "Photo {n} of report {code}",
    result: "Result",
    no_result: "No result yet.",
    published_at: "Published on",
    timeline: "History",
    no_timeline: "No history entries yet.",
    internal: "Internal",
    report_detail: "Report details",
    back_to_feed: "← Back to published reports",
    back_to_mine: "← Back to my reports",
    back_to_list: "← Back to the task list",
    not_found: "Page not found.",

    question_title: "The agency needs more information from you",
    question_asked: "What they need:",
    answer_text: "Your answer",
    answer_photos: "More photos",
    answer_photos_hint: "Optional. You can choose several images.",
    answer_submit: "Send my answer",
    answer_sent: "Your answer has been sent. The report is being handled again.",
    rating_title: "Rate the result",
    rating_legend: "How satisfied are you with the result?",
    rating_star_1: "1 star – Very dissatisfied",
    rating_star_2: "2 stars – Dissatisfied",
    rating_star_3: "3 stars – Acceptable",
    rating_star_4: "4 stars – Satisfied",
    rating_star_5: "5 stars – Very satisfied",
    rating_comment: "Comment",
    rating_comment_hint: "Optional.",
    rating_submit: "Send rating",
    rating_sent: "Thank you for rating the result.",
    rating_given: "Your rating of this result:",
    rating_value: "{n} out of 5 stars",
    choose_stars: "Please choose a number of stars.",
    reopen_title: "Ask for the report to be handled again",
    reopen_intro: "If the result did not solve the problem, you can ask the agency to handle it again, within the allowed time after the result was published.",
    reopen_reason: "Why it should be handled again",
    reopen_submit: "Ask to handle again",
    reopen_sent: "Your request has been sent. The report goes back to the agency.",
    merged_title: "Report merged",
    merged_text: "Your report repeats one sent earlier, so the two are handled together. Follow the result on report",

    err_network: "Cannot reach the server. Please try again.",
    err_config: "Could not load the configuration (config.json).",
    err_server: "Server error ({status}). Please try again.",
    err_upload: "Uploading “{name}” failed.",
    err_conflict: "Someone has already decided this task.",
    err_field_list: "{field}: {message}",

    tasks_title: "Tasks to handle",
    refresh: "Refresh",
    step: "Step",
    due_at: "Due",
    task_created_at: "Created",
    overdue: "Overdue",
    empty_tasks: "No tasks to handle.",
    task: "Task",
    decision: "Decision",
    choose_decision_legend: "Choose a decision",
    note: "Note",
    submit_decision: "Submit decision",
    decision_saved: "Decision recorded for report {code}.",
    task_not_found: "Task not found (it may have been handled already).",
    choose_decision: "Please choose a decision.",
    choose_decision_first: "Choose a decision to see the fields to fill in.",
    files_selected: "{n} file(s) chosen.",

    acct_nav: "Account",
    acct_no_account: "No account yet?",
    acct_signup_link: "Create an account",
    acct_forgot_link: "Forgot your password?",
    acct_signin_confirm_link: "Enter the phone confirmation code",
    acct_signup_title: "Create an account",
    acct_signup_intro: "An account lets you send reports and follow how they are handled. A confirmation code is sent to your phone by SMS.",
    acct_full_name: "Full name",
    acct_password_rules: "At least 8 characters, with upper and lower case letters and a digit.",
    acct_password_short: "The password needs at least 8 characters.",
    acct_privacy_notice: "Personal data processing notice",
    acct_version_word: "version",
    acct_privacy_data: "Data processed: your phone number and name; your email and address if you give them; the text, photos and places of the reports you send.",
    acct_privacy_purpose: "Purpose: receiving reports, passing them to the competent agency, answering you, and sending confirmation codes by SMS.",
    acct_privacy_public: "Results are published without your name, phone number, email or address.",
    acct_privacy_rights: "You can view, correct and download your personal data, and delete your account, on the Account page.",
    acct_consent_accept: "I have read and accept the personal data processing notice above.",
    acct_consent_needed: "Please tick the box to accept the personal data processing notice.",
    acct_signup_submit: "Sign up",
    acct_have_account: "Already have an account?",
    acct_confirm_title: "Confirm your phone number",
    acct_code: "Confirmation code",
    acct_code_sent_to: "A 6-digit code was sent by SMS to {phone}. It is valid for 10 minutes.",
    acct_code_format: "The code is 6 digits.",
    acct_confirm_submit: "Confirm",
    acct_resend_code: "Send the code again",
    acct_change_number: "Use another number",
    acct_code_sent: "The code has been sent.",
    acct_code_resent: "The code has been sent again.",
    acct_signed_up: "Your number is confirmed: the account is ready and you are signed in.",
    acct_confirmed_sign_in: "Your number is confirmed. Please sign in.",
    acct_staff_challenge: "Staff accounts sign in on the staff site.",
    acct_forgot_title: "Forgot password",
    acct_forgot_intro: "Enter the phone number you signed up with. We will send a code by SMS so you can choose a new password.",
    acct_send_code: "Send the code",
    acct_reset_sent_to: "If {phone} has an account, a 6-digit code was sent to it. It is valid for 10 minutes.",
    acct_new_password: "New password",
    acct_reset_submit: "Reset password",
    acct_password_reset: "Your password has been reset. Please sign in with the new one.",
    acct_back_to_sign_in: "← Back to sign-in",
    acct_title: "My account",
    acct_profile_title: "Personal details",
    acct_email: "Email",
    acct_home_address: "Contact address",
    acct_optional: "Optional.",
    acct_save: "Save changes",
    acct_saving: "Saving…",
    acct_profile_saved: "Your details have been saved.",
    acct_phone_title: "Change phone number",
    acct_phone_intro: "A code is sent to the new number. Once it is confirmed, you sign in with the new number.",
    acct_new_phone: "New phone number",
    acct_same_phone: "This is already your number.",
    acct_confirm_new_phone: "Confirm the new number",
    acct_cancel: "Cancel",
    acct_phone_changed: "Phone number changed. From now on, sign in with {phone}.",
    acct_password_title: "Change password",
    acct_current_password: "Current password",
    acct_password_submit: "Change password",
    acct_password_changed: "Password changed. Your other sessions have been signed out.",
    acct_wrong_current_password: "The current password is wrong.",
    acct_wrong_password: "The password is wrong.",
    acct_data_title: "Your personal data",
    acct_consent_given: "You accepted the personal data processing notice version {version} on {at}.",
    acct_download_intro: "Download a JSON file with your account details, your consent and the reports you sent.",
    acct_download: "Download my data",
    acct_preparing: "Preparing…",
    acct_data_downloaded: "Your data has been downloaded.",
    acct_delete_title: "Delete account",
    acct_delete_intro: "Your account and personal details are deleted for good; this cannot be undone. The reports you sent are kept and stay public as the rules require, no longer linked to you.",
    acct_delete_password: "Your password, to confirm",
    acct_delete_confirm: "I understand the account is deleted for good.",
    acct_delete_confirm_needed: "Please tick the box to confirm the deletion.",
    acct_delete_submit: "Delete my account",
    acct_deleting: "Deleting…",
    acct_deleted: "Your account has been deleted. The reports you sent stay public, no longer linked to you.",
    acct_consent_title: "The personal data processing notice has changed",
    acct_consent_text: "There is a new version ({version}) of the personal data processing notice. Please read and accept it to keep sending and following reports.",
    acct_consent_accept_new: "I have read and accept the new personal data processing notice.",
    acct_consent_submit: "Accept and continue",
    acct_consent_saved: "Thank you: your consent has been recorded.",
    acct_too_many: "Too many attempts; try again later.",
    acct_retry_wait: "Wait about {n} min.",

    dossier_nav: "Dossier lookup",
    dossier_title: "Look up an administrative dossier",
    dossier_intro: "Enter the dossier code printed on your receipt to see how it stands in the unit's one-stop system.",
    dossier_code: "Dossier code",
    dossier_code_hint: "For example: 000.00.24.H34-251203-0001",
    dossier_id_number: "Applicant's ID card number",
    dossier_id_number_hint: "Optional; some units ask for it.",
    dossier_unit: "Handling unit",
    dossier_unit_auto: "Found from the dossier code",
    dossier_submit: "Look up",
    dossier_searching: "Looking up…",
    dossier_status: "Status",
    dossier_overdue: "Overdue",
    dossier_received: "Received on",
    dossier_due: "Result due on",
    dossier_result: "Result",
    dossier_no_result: "No result yet.",
    dossier_none: "Not given",
    service_nav: "Online public services",
    service_title: "Online public services",
    service_intro: "Procedures you can file online on the public service portals; links open in a new tab.",
    service_empty: "No services yet.",
    news_nav: "News",
    news_title: "News",
    news_page_title: "News — Citizen feedback",
    news_all: "All",
    news_categories: "Categories",
    news_empty: "No news yet.",
    news_back: "← Back to the news",
    news_article: "Article",
    news_not_found: "Article not found.",
    news_cover_alt: "Picture: {title}",
    alert_region: "Emergency alerts",
    alert_whole_province: "Whole province",
    alert_areas: "Areas",
    alert_expires: "In force until",
    alert_nav: "Emergency alerts",
    alert_page_title: "Emergency alerts — Staff",
    alert_send_title: "Send an emergency alert",
    alert_intro: "An alert shows at once on the citizens' site and is sent to the phones and apps of those who follow the area.",
    alert_title: "Title",
    alert_body: "Message",
    alert_title_en: "English title",
    alert_body_en: "English message",
    alert_optional: "Optional.",
    alert_severity: "Severity",
    alert_sev_extreme: "Extreme",
    alert_sev_severe: "Severe",
    alert_sev_moderate: "Moderate",
    alert_sev_minor: "Minor",
    alert_scope: "Where",
    alert_scope_all: "Whole province",
    alert_scope_some: "Some communes and wards",
    alert_pick_areas: "Communes and wards",
    alert_pick_areas_hint: "Hold Ctrl (or Cmd) to choose several.",
    alert_hours: "In force for (hours from now)",
    alert_hours_hint: "1 to 168 hours (7 days).",
    alert_hours_range: "The number of hours is a whole number from 1 to 168.",
    alert_submit: "Send the alert",
    alert_sending: "Sending…",
    alert_accepted: "Alert accepted; it is being sent to citizens.",
    alert_created: "The alert just sent",
    alert_history: "Alerts sent",
    alert_history_empty: "No alerts yet.",
    alert_col_created: "Sent at",
    alert_col_alert: "Alert",
    alert_col_status: "Status",
    alert_col_devices: "Apps (sent / failed)",
    alert_col_phones: "SMS (sent / failed)",
    alert_col_batches: "Batches (done / total)",
    alert_col_actions: "Actions",
    alert_status_sending: "Sending",
    alert_status_sent: "Sent",
    alert_status_cancelled: "Cancelled",
    alert_status_expired: "Expired",
    alert_cancel: "Cancel the alert",
    alert_cancel_confirm: "Cancel the alert “{title}”? It will no longer show on the citizens' site.",
    alert_cancelled: "The alert “{title}” was cancelled.",
    alert_forbidden: "Only alert issuers, province leaders and administrators may send alerts.",

    stats_nav: "Statistics",
    stats_page_title: "Statistics — Staff",
    stats_title: "Report statistics",
    stats_intro: "Figures count what happened (received, assigned, resolved…) on the days chosen. Click a number to see the reports behind it.",
    stats_filters: "Filters",
    stats_from: "From",
    stats_to: "To",
    stats_group: "Group by",
    stats_group_agency: "Agency",
    stats_group_area: "Commune or ward",
    stats_group_category: "Category",
    stats_group_channel: "Channel",
    stats_group_status: "Current status",
    stats_group_period: "Time",
    stats_period: "By",
    stats_period_day: "Day",
    stats_period_month: "Month",
    stats_period_quarter: "Quarter",
    stats_period_year: "Year",
    stats_agency: "Agency",
    stats_area: "Commune or ward",
    stats_category: "Category",
    stats_channel: "Channel",
    stats_all: "All",
    stats_channel_web: "Website or app",
    stats_channel_phone: "Phone",
    stats_channel_paper: "Paper letter",
    stats_channel_email: "Email",
    stats_channel_in_person: "In person",
    stats_show: "Show figures",
    stats_download_xlsx: "Download Excel",
    stats_download_csv: "Download CSV",
    stats_download_failed: "The figures file could not be downloaded.",
    stats_own_agency: "An agency leader sees their own agency's figures only.",
    stats_chart_counts: "Received and resolved",
    stats_chart_share: "Resolved on time (%)",
    stats_chart_note: "The charts show the figures of the table below.",
    stats_table_caption: "Figures by {group}, {from} to {to}",
    stats_col_group: "Group",
    stats_col_in_status: "Reports",
    stats_total: "Total",
    stats_empty: "No figures for these days.",
    stats_open_figure: "Show the {n} reports: {measure}, {group}",
    stats_reports_title: "Reports: {measure} — {group}",
    stats_reports_empty: "No reports.",
    stats_reports_close: "Close the list",
    stats_col_code: "Code",
    stats_col_title: "Title",
    stats_col_status: "Status",
    stats_col_at: "When",
    stats_forbidden: "Only the reception desk, agency leaders, province leaders and administrators may read the statistics.",
    stats_status_received: "Received",
    stats_status_routed: "Routed to an agency",
    stats_status_rejected: "Rejected",
    stats_status_in_progress: "In progress",
    stats_status_resolved: "Awaiting approval",
    stats_status_approved: "Approved",
    stats_status_published: "Result published",
    stats_status_waiting_citizen: "Waiting for the citizen",
    stats_status_merged: "Merged into another report",
    stats_public_nav: "Transparency",
    stats_public_page_title: "How reports are handled — Citizen feedback",
    stats_public_title: "How each agency handles reports",
    stats_public_intro: "Reports each agency was given and resolved in the year, the share resolved on time, the average time taken and citizens' satisfaction. No personal data.",
    stats_public_year: "Year",
    stats_public_received: "Reports received in {year}: {n}",
    stats_public_caption: "Results by agency, {year}",
    stats_public_col_agency: "Agency",
    stats_public_col_received: "Assigned",
    stats_public_col_resolved: "Resolved",
    stats_public_col_share: "On time",
    stats_public_col_days: "Average time (working days)",
    stats_public_col_rating: "Average satisfaction (1–5)",
    stats_public_rated: "{n} ratings",
    stats_public_chart: "Reports assigned and resolved by agency",
    stats_public_empty: "No figures for this year yet.",

    map_label: "Map to choose the report's location",
    map_hint: "Click the map or drag the pin to choose the location; with a keyboard: arrow keys to move, +/− to zoom, Enter to put the pin in the middle. You can type the latitude and longitude instead.",
    map_pin: "Chosen location",

    // --- staff tasks ---

    // --- staff admin ---

    // --- send form, drafts, PWA ---

    // --- home feed ---

    // --- accessibility ---

    // --- shared ---
  },
};

let current = readStoredLang();
const listeners = new Set();

function readStoredLang() {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return LANGS.includes(v) ? v : "vi";
  } catch {
    return "vi";
  }
}

export function getLang() {
  return current;
}

export function setLang(lang) {
  if (!LANGS.includes(lang) || lang === current) return;
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* storage disabled: the choice lasts for this page only */
  }
  applyI18n(document);
  for (const fn of listeners) fn(lang);
}

/** Call fn(lang) after every language change. */
export function onLangChange(fn) {
  listeners.add(fn);
}

/** Label for key in the current language, with {name} placeholders filled. */
export function t(key, params = {}) {
  const table = DICT[current] || DICT.vi;
  let s = table[key] ?? DICT.vi[key] ?? key;
  for (const [k, v] of Object.entries(params)) {
    s = s.split(`{${k}}`).join(String(v));
  }
  return s;
}

/** Both language versions of a label, shaped like an API error: {message, message_en}. */
export function both(key, params = {}) {
  const saved = current;
  try {
    current = "vi";
    const message = t(key, params);
    current = "en";
    const message_en = t(key, params);
    return { message, message_en };
  } finally {
    current = saved;
  }
}

/**
 * The value of a server field in the current language: obj[field + "_en"]
 * in English when present, obj[field] otherwise.
 */
export function pick(obj, field) {
  if (!obj) return "";
  if (current === "en") {
    const en = obj[`${field}_en`];
    if (en !== undefined && en !== null && en !== "") return en;
  }
  return obj[field] ?? "";
}

/** Fill every data-i18n* marked element under root. */
export function applyI18n(root) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll("[data-i18n]")) {
    el.textContent = t(el.dataset.i18n);
  }
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  }
  for (const el of root.querySelectorAll("[data-i18n-title]")) {
    el.title = t(el.dataset.i18nTitle);
  }
  for (const el of root.querySelectorAll("[data-i18n-aria-label]")) {
    el.setAttribute("aria-label", t(el.dataset.i18nAriaLabel));
  }
  for (const btn of root.querySelectorAll("[data-lang]")) {
    btn.setAttribute("aria-pressed", String(btn.dataset.lang === current));
  }
  const titleKey = document.body && document.body.dataset.titleKey;
  if (titleKey) document.title = t(titleKey);
}

/** Wire the "VI | EN" buttons (elements with data-lang) found under root. */
export function initLangToggle(root) {
  for (const btn of root.querySelectorAll("[data-lang]")) {
    btn.addEventListener("click", () => setLang(btn.dataset.lang));
  }
  applyI18n(document);
}

// ---- dates, always shown in Asia/Ho_Chi_Minh ----
// Vietnam has kept UTC+07:00 without daylight saving since 1975, so a fixed
// offset gives the same answer as the IANA zone and needs no ICU data.
const VN_OFFSET_MS = 7 * 60 * 60 * 1000;

function pad(n) {
  return String(n).padStart(2, "0");
}

/** "dd/mm/yyyy HH:mm" in Asia/Ho_Chi_Minh, or "" when iso is empty/invalid. */
export function formatDateTime(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const v = new Date(d.getTime() + VN_OFFSET_MS);
  return `${pad(v.getUTCDate())}/${pad(v.getUTCMonth() + 1)}/${v.getUTCFullYear()} ${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}`;
}

/** The value of a datetime-local input ("yyyy-mm-ddTHH:mm") for now, in Vietnam time. */
export function nowForDatetimeLocal() {
  const v = new Date(Date.now() + VN_OFFSET_MS);
  return `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}T${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}`;
}

/** "yyyy-mm-ddTHH:mm[:ss]" read as Vietnam time -> "yyyy-mm-ddTHH:mm:ss+07:00". */
export function datetimeLocalToIso(value) {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?/.exec(value || "");
  if (!m) return null;
  return `${m[1]}T${m[2]}${m[3] || ":00"}+07:00`;
}
